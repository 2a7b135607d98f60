package org.webims.gateway.sip.media;

import java.util.List;
import java.util.Locale;

/**
 * What rtpengine's {@code error-reason} (ng protocol, {@code result: error}) says about whose fault a refusal is:
 * the strings of rtpengine 10.5's call_interfaces.c and sdp.c.
 */
final class NgErrorReasons {
    /** Refusals caused by the SDP itself ("Failed to parse SDP", "Incomplete SDP specification", ...). */
    private static final List<String> SDP_FAULTS = List.of("failed to parse", "incomplete sdp", "no sdp",
            "sdp doesn't start", "unknown sdp line");

    private NgErrorReasons() {}

    static MediaGatewayException.Failure classify(Object reason) {
        String text = String.valueOf(reason).toLowerCase(Locale.ROOT);
        if (text.contains("ran out of ports")) {
            return MediaGatewayException.Failure.OUT_OF_PORTS;
        }
        if (SDP_FAULTS.stream().anyMatch(text::contains)) {
            return MediaGatewayException.Failure.BAD_SDP;
        }
        return MediaGatewayException.Failure.REFUSED;
    }
}

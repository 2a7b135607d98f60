package org.webims.gateway.sip.media;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rtpengine ng options for each direction of the SDP offer/answer (RFC 3264), as measured on the test bed
 * (rtpengine 10.5, design/testbed.md) against Chromium and SIP phones. Option names and values follow
 * docs/ng_control_protocol.md of rtpengine ({@code ICE}, {@code DTLS}, {@code SDES}, {@code transport-protocol},
 * {@code rtcp-mux}, {@code replace}, {@code flags}, {@code codec}).
 */
final class NgFlags {

    private NgFlags() {}

    /**
     * Options for an offer sent toward {@code side}.
     * <ul>
     * <li>toward IMS (a WebRTC offer): ICE removed, DTLS off, {@code RTP/AVP}, RTCP demultiplexed to its own port,
     * origin and session connection replaced, header extensions stripped; plus the codecs to add and mask;</li>
     * <li>toward WebRTC (a plain SIP offer): ICE forced, {@code UDP/TLS/RTP/SAVPF} so DTLS-SRTP is offered
     * ({@code a=setup:actpass}), RTCP multiplexing offered and required, an {@code a=mid} per m-line (JSEP needs
     * it), SDES off so no {@code a=crypto} reaches the browser; plus the codecs to add.</li>
     * </ul>
     */
    static Map<String, Object> offerToward(Side side, CodecPolicy codecs) {
        return offerToward(side, codecs.transcodeToward(side), codecs.maskToward(side));
    }

    /** Options for an offer sent toward {@code side} that adds {@code transcode} and hides {@code mask}. */
    static Map<String, Object> offerToward(Side side, List<String> transcode, List<String> mask) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (side == Side.IMS) {
            towardIms(options);
            options.put("transport-protocol", "RTP/AVP");
        } else {
            options.put("ICE", "force");
            options.put("transport-protocol", "UDP/TLS/RTP/SAVPF");
            options.put("rtcp-mux", List.of("offer", "require"));
            options.put("flags", List.of("generate-mid"));
            options.put("SDES", List.of("off"));
        }
        codec(transcode, mask).ifPresent(c -> options.put("codec", c));
        return options;
    }

    /**
     * Options for an answer sent toward {@code side}, the offerer's. The transport profile follows the offer, so:
     * <ul>
     * <li>toward WebRTC: ICE forced and RTCP multiplexing required, which yields {@code UDP/TLS/RTP/SAVPF},
     * {@code a=setup:active}, a sha-256 fingerprint, ICE credentials and a host candidate;</li>
     * <li>toward IMS: the same clean-up as an offer toward IMS.</li>
     * </ul>
     */
    static Map<String, Object> answerToward(Side side) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (side == Side.IMS) {
            towardIms(options);
        } else {
            options.put("ICE", "force");
            options.put("rtcp-mux", List.of("require"));
        }
        return options;
    }

    /**
     * The label rtpengine keeps for the participant whose SDP is passed (the from-tag in an offer, the to-tag in an
     * answer), so later commands can pick a participant by side.
     */
    static String label(Side side) {
        return side.name().toLowerCase(Locale.ROOT);
    }

    static Optional<Side> side(Object label) {
        for (Side side : Side.values()) {
            if (label(side).equals(label)) {
                return Optional.of(side);
            }
        }
        return Optional.empty();
    }

    private static void towardIms(Map<String, Object> options) {
        options.put("ICE", "remove");
        options.put("DTLS", "off");
        options.put("rtcp-mux", List.of("demux"));
        options.put("replace", List.of("origin", "session-connection"));
        options.put("flags", List.of("strip-extmap"));
    }

    private static Optional<Map<String, Object>> codec(List<String> transcode, List<String> mask) {
        Map<String, Object> codec = new LinkedHashMap<>();
        if (!transcode.isEmpty()) {
            codec.put("transcode", transcode);
        }
        if (!mask.isEmpty()) {
            codec.put("mask", mask);
        }
        return codec.isEmpty() ? Optional.empty() : Optional.of(codec);
    }
}

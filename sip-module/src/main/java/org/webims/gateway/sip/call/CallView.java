package org.webims.gateway.sip.call;

import org.webims.gateway.ports.call.CallDirection;
import java.time.Instant;

/**
 * A live call as the admin API shows it.
 *
 * @param webrtcLeg Call-ID of the leg toward the WebRTC client
 * @param imsLeg Call-ID of the leg toward the IMS core (null until it exists)
 * @param webrtcMedia codecs negotiated on the WebRTC side, e.g. "audio: opus, telephone-event"
 * @param imsMedia codecs negotiated on the IMS side
 */
public record CallView(
        String id,
        CallDirection direction,
        CallState state,
        String caller,
        String callee,
        String flow,
        String webrtcLeg,
        String imsLeg,
        String webrtcMedia,
        String imsMedia,
        Instant startedAt,
        Instant answeredAt) {}

package org.webims.gateway.sip.b2bua;

import java.time.Instant;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.sip.call.CallState;
import org.webims.gateway.sip.media.MediaLegs;
import org.webims.gateway.sip.media.Side;

/**
 * One call through the B2BUA: the WebRTC leg and the IMS leg, the media session anchoring them, and its state.
 * Touched only from its own serial queue (keyed by {@link #key}), so it needs no locks.
 */
final class Call {
    /** Media session tags: one monologue per leg on the eIMS-AGW. */
    static final String WEBRTC_TAG = "webrtc";
    static final String IMS_TAG = "ims";

    final String id;
    final String key;
    final CallDirection direction;
    final Leg webrtc;
    Leg ims;
    final Instant startedAt;
    volatile Instant answeredAt;
    volatile CallState state = CallState.CALLING;
    final String caller;
    final String callee;

    Call(String id, String key, CallDirection direction, Leg webrtc, Instant startedAt, String caller,
            String callee) {
        this.id = id;
        this.key = key;
        this.direction = direction;
        this.webrtc = webrtc;
        this.startedAt = startedAt;
        this.caller = caller;
        this.callee = callee;
    }

    Leg calling() {
        return direction == CallDirection.ORIGINATING ? webrtc : ims;
    }

    Leg called() {
        return direction == CallDirection.ORIGINATING ? ims : webrtc;
    }

    Leg other(Leg leg) {
        return leg == webrtc ? ims : webrtc;
    }

    Leg leg(String sipCallId) {
        if (webrtc.sipCallId.equals(sipCallId)) {
            return webrtc;
        }
        return ims != null && ims.sipCallId.equals(sipCallId) ? ims : null;
    }

    /** The media session as seen by an offer coming from {@code offerer} (rtpengine: from-tag offers). */
    MediaLegs mediaFrom(Leg offerer) {
        String from = offerer.side == Side.WEBRTC ? WEBRTC_TAG : IMS_TAG;
        String to = offerer.side == Side.WEBRTC ? IMS_TAG : WEBRTC_TAG;
        return new MediaLegs(id, from, to);
    }

    @Override
    public String toString() {
        return "call " + id + " (" + direction.name().toLowerCase() + " " + caller + " -> " + callee + ")";
    }
}

package org.webims.gateway.sip.b2bua;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Collectors;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.CallFacts;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Service;
import org.webims.gateway.ports.policy.Source;
import org.webims.gateway.sip.admission.CallCounts;
import org.webims.gateway.sip.call.CallState;
import org.webims.gateway.sip.call.StreamDecline;
import org.webims.gateway.sip.media.MediaLegs;
import org.webims.gateway.sip.media.Side;

/**
 * One call through the B2BUA: the WebRTC leg and the IMS leg, the media session anchoring them, the policy it was
 * admitted with, and its state. Touched only from its own serial queue (keyed by {@link #key}), so it needs no locks;
 * its state changes only through the transition methods here (RFC 3261 §13, §15).
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
    final String caller;
    final String callee;
    /** The public identity of the WebRTC user (the caller of an originating call, the called of a terminating one). */
    final String subscriber;
    /** The IMS Charging Identifier (RFC 7315 §5.6): ours for an originating call, the core's for a terminating one. */
    final String icid;
    private volatile Instant answeredAt;
    private volatile CallState state = CallState.CALLING;
    private CallEnd end;
    /** The policy the call was admitted with (TS 22.228 §11.2); it keeps it until it ends. Null until admitted. */
    private EffectivePolicy policy;
    /** Media kinds declined on both legs, each with the layer that did not allow it. */
    private Map<Service, Source> declined = Map.of();
    private CallCounts.Reservation reservation;
    /** The release when the longest call the policy allows is reached. */
    ScheduledFuture<?> durationLimit;

    Call(String id, String key, CallDirection direction, Leg webrtc, Instant startedAt, String caller, String callee,
            String subscriber, String icid) {
        this.id = id;
        this.icid = icid;
        this.key = key;
        this.direction = direction;
        this.webrtc = webrtc;
        this.startedAt = startedAt;
        this.caller = caller;
        this.callee = callee;
        this.subscriber = subscriber;
    }

    /** An announcement asked the media gateway for a session (the call may never have been admitted). */
    boolean announced;
    /** Its attempt was told to the call-event listener (its end will be too). */
    boolean reported;
    /** QoS was asked for this call's WebRTC leg (an Rx session to end with it). */
    boolean qosRequested;
    /** The IMS party hears music on hold now (the WebRTC user holds the call). */
    boolean musicOnHold;

    // ------------------------------------------------------------------------------------------- transitions

    CallState state() {
        return state;
    }

    boolean isLive() {
        return state.isLive();
    }

    boolean isConfirmed() {
        return state == CallState.CONFIRMED;
    }

    /** Admission passed: the policy the call keeps and what it reserved; still CALLING. */
    void admitted(EffectivePolicy admittedWith, Map<Service, Source> declinedStreams,
            CallCounts.Reservation reserved) {
        this.policy = admittedWith;
        this.declined = Map.copyOf(declinedStreams);
        this.reservation = reserved;
    }

    /** CALLING -> EARLY on a provisional response of the called side (RFC 3261 §13.2.2.1). */
    void early() {
        if (state == CallState.CALLING) {
            state = CallState.EARLY;
        }
    }

    /** CALLING or EARLY -> CONFIRMED once the caller has our 2xx (RFC 3261 §13.2.2.4); false when it ended meanwhile. */
    boolean confirm(Instant at) {
        if (!state.isLive() || state == CallState.CONFIRMED) {
            return false;
        }
        state = CallState.CONFIRMED;
        answeredAt = at;
        return true;
    }

    /**
     * Any state -> ENDED, once: true the first time, with how it ended; false when it had ended already (every path
     * that ends a call goes through here, so a call ends exactly once).
     */
    boolean end(CallEnd how) {
        if (!state.isLive()) {
            return false;
        }
        state = CallState.ENDED;
        end = how;
        return true;
    }

    // ------------------------------------------------------------------------------------------- what it holds

    Instant answeredAt() {
        return answeredAt;
    }

    CallEnd howItEnded() {
        return end;
    }

    EffectivePolicy policy() {
        return policy;
    }

    CallCounts.Reservation reservation() {
        return reservation;
    }

    /** The SDP as this call lets it reach either leg: declined kinds at port 0 (RFC 3264 §6, §8.2). */
    String shaped(String sdp) {
        if (declined.isEmpty() || sdp == null) {
            return sdp;
        }
        return StreamDecline.decline(sdp, declinedKinds());
    }

    /** The Warning text of the declined streams (RFC 3261 §20.43), e.g. "video not allowed by provider shop"; null for none. */
    String declineWarning() {
        if (declined.isEmpty()) {
            return null;
        }
        return declined.entrySet().stream().map(e -> e.getKey().token() + " not allowed by " + e.getValue().describe())
                .collect(Collectors.joining("; "));
    }

    /** Whether an SDP body had a stream this call declines (so that the answer says why it is at port 0). */
    boolean declinedIn(String sdp) {
        return !declined.isEmpty() && StreamDecline.kinds(sdp).stream().anyMatch(declinedKinds()::contains);
    }

    Set<String> declinedKinds() {
        return declined.keySet().stream().map(Service::token).collect(Collectors.toUnmodifiableSet());
    }

    String provider() {
        return policy == null ? null : policy.provider();
    }

    CallFacts facts() {
        return new CallFacts(id, direction, subscriber, direction == CallDirection.ORIGINATING ? callee : caller,
                provider(), startedAt, icid);
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

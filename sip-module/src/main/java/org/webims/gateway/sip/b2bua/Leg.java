package org.webims.gateway.sip.b2bua;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.address.Hop;
import javax.sip.message.Request;
import org.webims.gateway.sip.call.SdpSummary;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.media.Side;
import org.webims.gateway.sip.transport.FlowRouter;

/**
 * One side of a call: its own dialog (Call-ID, tags, CSeq and route set independent of the other leg), the
 * INVITE transaction that opened it, and for the WebRTC leg the flow every request must take whatever the
 * client's Contact says.
 */
final class Leg {
    final Side side;
    final String sipCallId;
    final Flow flow;
    final Hop flowHop;
    Dialog dialog;
    /** The initial INVITE this leg received (the calling side), until it is answered. */
    ServerTransaction inviteServer;
    /** The initial INVITE we sent on this leg (the called side), until it is answered. */
    ClientTransaction inviteClient;
    /**
     * Our tag in this leg's dialog: the To tag of our answers when its initial INVITE came to us (the calling leg), our
     * From tag when we sent it (the called leg).
     */
    String localTag;
    /** The last SDP this leg settled on: its offer until answered, then each answer exchanged on it. */
    SdpSummary media = SdpSummary.parse(null);
    /** The last SDP the party on this leg sent (offer or answer), for the QoS of its media flows (TS 29.214). */
    String partySdp;
    /** The last SDP the gateway sent on this leg. */
    String ourSdp;
    /** Whether, of those two, the party's was the offer. */
    boolean partyOffered;
    /** The SDP offer we sent on this leg's initial INVITE, to check the answer against (RFC 3264 §6). */
    String offered;
    /** The last offer relayed on this leg within the dialog, to complete its answer against (RFC 3264 §8). */
    String pendingOffer;
    /**
     * The 2xx of an offerless re-INVITE relayed on this leg (RFC 3261 §14.2, RFC 3264 §5): it carried the offer,
     * and its ACK must carry the answer that comes in the other leg's ACK.
     */
    javax.sip.message.Response offerAwaitingAck;
    /**
     * A re-INVITE from this leg's party that came before its ACK of our 2xx (whose offer is the other leg's
     * {@link #offerAwaitingAck}): answered 491 once that ACK has come, 487 if the call ends first. Answered at once,
     * the 491 would have been the dialog's last answer to an INVITE, and JAIN-SIP drops an ACK that does not match it.
     */
    javax.sip.ServerTransaction reinviteAwaitingAck;
    /** Whether the party on this leg supports reliable provisional responses (RFC 3262), from its INVITE. */
    boolean reliableProvisionals;
    /** Whether it requires them (RFC 3262 §3: then every 18x toward it is sent reliably). */
    boolean requiresReliable;
    /** A reliable 18x of our own (the core's was not reliable) waits for this leg's PRACK. */
    boolean ownReliableUnacked;
    /** The other leg's reliable 18x passed on reliably to this leg, whose PRACK it waits for (RFC 3262). */
    ReliableProvisionals.AwaitedPrack prackAwaited;
    /** Our 2xx to this leg, held until its PRACK (RFC 3262 §3: no 2xx before a reliable 18x is acknowledged). */
    ReliableProvisionals.Deferred heldForPrack;
    /** The highest RSeq seen per early dialog (remote tag) of this leg's initial INVITE (RFC 3262 §4). */
    final java.util.Map<String, Long> rseqSeen = new java.util.HashMap<>();
    /** The wait for the PRACK of the reliable 18x last sent on this leg ({@link PrackTimeout}, RFC 3262 §3). */
    java.util.concurrent.ScheduledFuture<?> prackTimeout;
    /** Which arming of {@link #prackTimeout} is current; null when no PRACK is awaited on a timer. */
    Object prackWait;
    /** The session refresh this gateway owes on this leg (RFC 4028), when it is the refresher. */
    java.util.concurrent.ScheduledFuture<?> sessionRefresh;

    /** Early dialogs of other forks of our initial INVITE this leg followed before (RFC 3261 §12.1.2). */
    private final java.util.List<Dialog> forks = new java.util.ArrayList<>();

    Leg(Side side, String sipCallId, Flow flow, Hop flowHop) {
        this.side = side;
        this.sipCallId = sipCallId;
        this.flow = flow;
        this.flowHop = flowHop;
    }

    /** Our final response to this leg's initial INVITE is sent: nothing about its answer is pending any more. */
    /** A provisional response with SDP went to this (calling) leg: the network's early media, or ours. */
    boolean earlyMediaSent;
    /**
     * Branches whose 2xx the B2BUA acknowledged and ended with BYE (each once). Concurrent: once the call has ended, a
     * late 2xx may be handled on the Call-ID's queue as well as on the call's.
     */
    final java.util.Set<String> releasedBranches = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The To tag of the 2xx this leg's INVITE took (the branch that answered), null before. */
    String answeredBy;

    /** The party on this leg sent an SDP offer or answer. */
    void partySent(String sdp, boolean offer) {
        if (sdp != null) {
            partySdp = sdp;
            partyOffered = offer;
        }
    }

    /** The gateway sent an SDP offer or answer on this leg. */
    void weSent(String sdp, boolean offer) {
        if (sdp != null) {
            ourSdp = sdp;
            partyOffered = !offer;
        }
    }

    void answered() {
        inviteServer = null;
        heldForPrack = null;
        prackAcknowledged();
    }

    /** The reliable 18x sent on this leg is PRACKed, or no longer awaits it: none is unacknowledged now. */
    void prackAcknowledged() {
        prackAwaited = null;
        ownReliableUnacked = false;
        cancelPrackTimeout();
    }

    /** No PRACK is awaited any more (it came, or the INVITE was answered or the call ended). */
    void cancelPrackTimeout() {
        prackWait = null;
        if (prackTimeout != null) {
            prackTimeout.cancel(false);
            prackTimeout = null;
        }
    }

    /** Makes {@code fork}, an early dialog of another branch, this leg's dialog; the previous one is kept. */
    void follow(Dialog fork) {
        if (dialog != null) {
            forks.add(dialog);
        }
        forks.remove(fork);
        dialog = fork;
    }

    /** This leg's dialog and every fork it followed, for clean-up. */
    java.util.List<Dialog> dialogs() {
        java.util.List<Dialog> all = new java.util.ArrayList<>(forks);
        if (dialog != null) {
            all.add(dialog);
        }
        return all;
    }

    /** Requests toward a WebRTC client go down its flow (RFC 5626 §5.3), whatever their Request-URI. */
    void route(Request request) {
        if (flowHop != null) {
            FlowRouter.routeVia(request, flowHop);
        }
    }

    @Override
    public String toString() {
        return side + " leg " + sipCallId;
    }
}

package org.webims.gateway.sip.b2bua;

import java.util.Iterator;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.RSeqHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.SupportedHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.signalling.SipContext;
import org.webims.gateway.sip.media.Side;

/**
 * Reliable provisional responses (RFC 3262) across the two legs. When the WebRTC client supports 100rel, a reliable
 * 18x from the core reaches it reliably too and the core's PRACK waits for the client's: PRACK end to end. When it
 * does not (JsSIP), the gateway PRACKs the core itself and relays the 18x unreliably, so early media still works and
 * nobody gets a 420.
 */
final class ReliableProvisionals {
    private static final String OPTION = "100rel";

    private final SipContext sip;

    ReliableProvisionals(SipContext sip) {
        this.sip = sip;
    }

    /** Whether the request's sender supports or requires reliable provisional responses (RFC 3262 §3). */
    static boolean supported(Request request) {
        return hasOption(request, SupportedHeader.NAME) || hasOption(request, RequireHeader.NAME);
    }

    /** Whether the request's sender requires reliable provisional responses (RFC 3262 §3). */
    static boolean required(Request request) {
        return hasOption(request, RequireHeader.NAME);
    }

    /**
     * Whether an 18x of our own may go reliably to a client that requires 100rel although the core's was not
     * reliable: only when no reliable 18x toward it is unacknowledged (RFC 3262 §3). Its PRACK is answered here.
     */
    boolean takeOwnReliable(Leg calling) {
        if (calling.prackAwaited != null || calling.ownReliableUnacked) {
            return false;
        }
        calling.ownReliableUnacked = true;
        return true;
    }

    /** A 1xx sent reliably: it requires 100rel and carries RSeq (RFC 3262 §3). */
    static boolean isReliable(Response response) {
        return response.getStatusCode() > 100 && response.getStatusCode() < 200
                && hasOption(response, RequireHeader.NAME) && response.getHeader(RSeqHeader.NAME) != null;
    }

    /**
     * Whether a reliable 1xx repeats one already taken: the core retransmits it until PRACKed, with the same RSeq
     * on the same early dialog (RFC 3262 §4). Records a new one.
     */
    static boolean isRetransmission(Leg called, Response response) {
        if (!isReliable(response)) {
            return false;
        }
        String branch = ((javax.sip.header.ToHeader) response.getHeader(javax.sip.header.ToHeader.NAME)).getTag();
        long rseq = ((RSeqHeader) response.getHeader(RSeqHeader.NAME)).getSequenceNumber();
        Long seen = called.rseqSeen.get(branch);
        if (seen != null && rseq <= seen) {
            return true;
        }
        called.rseqSeen.put(branch, rseq);
        return false;
    }

    /**
     * A reliable 18x from the called leg: returns true when it goes on reliably to the calling leg, whose PRACK
     * will be passed on; otherwise the gateway has PRACKed it itself.
     */
    boolean onReliable(Call call, Leg called, Leg calling, Response reliable) throws SipException {
        // one unacknowledged reliable 18x at a time toward the client (RFC 3262 §3), ours or the core's: the stack
        // refuses a second ("Unacknowledged response"), which would leave this one awaited and never sent
        if (calling.side == Side.WEBRTC && calling.reliableProvisionals && calling.prackAwaited == null
                && !calling.ownReliableUnacked) {
            calling.prackAwaited = new AwaitedPrack(reliable, called.dialog);
            return true;
        }
        prack(call, called, called.dialog, reliable, null, null);
        return false;
    }

    /**
     * A PRACK from the client for the reliable 18x we passed on: the core's 18x is PRACKed now, on the early dialog
     * of the branch that sent it (the IMS leg may follow another fork since), end to end; then a 2xx held back for
     * this PRACK goes (RFC 3262 §3).
     */
    void onPrack(Call call, Leg leg, Leg other, ServerTransaction st)
            throws SipException, java.text.ParseException, javax.sip.InvalidArgumentException {
        AwaitedPrack awaited = leg.prackAwaited;
        leg.prackAcknowledged();
        if (awaited == null || other == null || awaited.dialog().getState() == javax.sip.DialogState.TERMINATED) {
            sip.respond(st, Response.OK, null); // a PRACK of our own 18x, or of a branch gone: nothing to pass on
        } else {
            prack(call, other, awaited.dialog(), awaited.reliable(), st, leg);
        }
        Deferred held = leg.heldForPrack;
        leg.heldForPrack = null;
        if (held != null) {
            held.run();
        }
    }

    /** The reliable 18x passed on to the client and the early dialog of the branch that sent it. */
    record AwaitedPrack(Response reliable, javax.sip.Dialog dialog) {}

    /** A response held back until the client's PRACK. */
    @FunctionalInterface
    interface Deferred {
        void run() throws SipException, java.text.ParseException, javax.sip.InvalidArgumentException;
    }

    private void prack(Call call, Leg called, javax.sip.Dialog dialog, Response reliable, ServerTransaction origin,
            Leg originLeg) throws SipException {
        Request prack = dialog.createPrack(reliable);
        called.route(prack);
        ClientTransaction ct = sip.newClientTransaction(prack);
        ct.setApplicationData(origin == null
                ? new LegTransaction(call, called, LegTransaction.Purpose.TEARDOWN, null, null)
                : new LegTransaction(call, called, LegTransaction.Purpose.RELAY, origin, originLeg));
        dialog.sendRequest(ct);
    }

    private static boolean hasOption(Message message, String header) {
        for (Iterator<?> it = message.getHeaders(header); it.hasNext(); ) {
            Object value = it.next();
            String tag = value instanceof RequireHeader require ? require.getOptionTag()
                    : value instanceof SupportedHeader supported ? supported.getOptionTag() : null;
            if (OPTION.equalsIgnoreCase(tag)) {
                return true;
            }
        }
        return false;
    }

}

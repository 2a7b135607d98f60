package org.webims.gateway.sip.edge;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import java.net.InetAddress;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.SipStack;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.liveness.CoreBacklog;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.sip.transport.WebSocketMessageChannel;

/**
 * The door every SIP message passes before JAIN-SIP matches it to a transaction or a dialog (a JAIN-SIP message
 * valve), so that what is refused here changes no dialog's state (CSeq, remote target, ACK seen):
 * <ul>
 * <li>on the core side, a host outside {@code gateway.ims.trusted-peers} gets 403 with a Warning, answered
 * statelessly; its responses are dropped;</li>
 * <li>a request inside a call's dialog that arrives on another side than its leg's (another client's flow, or
 * the core side for a client's leg) gets 481: whoever learned a call's Call-ID and tags cannot end or change
 * it;</li>
 * <li>a 2xx to an INVITE that the core repeats after the transaction ended is answered here with the ACK again, or
 * dropped ({@link AnswerRetransmissions}).</li>
 * </ul>
 */
public final class EntryValve implements SIPMessageValve {
    private static final Logger LOG = Logger.getLogger(EntryValve.class.getName());
    /** Refusals are caused by outside input: logged per cause at a bounded rate (issue 9, finding 14). */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);

    /** Which side an in-dialog request for a call may come on; answers from the B2BUA's call registry. */
    @FunctionalInterface
    public interface DialogOwners {
        /**
         * Whether a request with this Call-ID and To tag (null for a CANCEL) may arrive on {@code flow} (null: the
         * core side): false only when it names a leg of a live call that belongs to another side.
         */
        boolean allows(String callId, String toTag, Flow flow);
    }

    /**
     * Told of every 2xx to an INVITE from the core before the stack sees it, but repeats taken care of here: the stack
     * discards a losing branch's 2xx that races the winner's, and the B2BUA must still release that branch (RFC 3261
     * §13.2.2.4). Never blocks.
     */
    @FunctionalInterface
    public interface AnswerWitness {
        void saw(javax.sip.message.Response ok);
    }

    private final TrustedPeers trustedPeers;
    private final DialogOwners owners;
    private final AnswerWitness answers;
    private final AnswerWitness untaken;
    private final CoreBacklog backlog;
    private final AnswerRetransmissions retransmissions;
    private final String warnAgent;
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();

    /**
     * @param answers  told of every INVITE 2xx from the core that goes on to the stack
     * @param untaken  given each 2xx that a dialog ended with its call never took, which the stack would drop
     */
    public EntryValve(TrustedPeers trustedPeers, DialogOwners owners, AnswerWitness answers, AnswerWitness untaken,
            CoreBacklog backlog, AnswerRetransmissions retransmissions, String warnAgent) {
        this.untaken = untaken;
        this.backlog = backlog;
        this.retransmissions = retransmissions;
        this.answers = answers;
        this.trustedPeers = trustedPeers;
        this.owners = owners;
        this.warnAgent = warnAgent;
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        Flow flow = channel instanceof WebSocketMessageChannel ws ? ws.flow() : null;
        if (flow == null) {
            InetAddress source = sourceOf(request, channel);
            if (!trustedPeers.trusts(source)) {
                REFUSALS.info("untrusted core-side source", () -> request.getMethod() + " "
                        + request.getCallId().getCallId() + " from "
                        + (source == null ? "?" : source.getHostAddress())
                        + " refused: not in gateway.ims.trusted-peers");
                answer(request, channel, Response.FORBIDDEN, "Forbidden (not a trusted IMS node)",
                        "not a trusted IMS node");
                return false;
            }
        }
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        String toTag = to == null ? null : to.getTag();
        boolean ofACall = toTag != null || Request.CANCEL.equals(request.getMethod()); // a CANCEL has no To tag
        if (!ofACall || owners.allows(request.getCallId().getCallId(), toTag, flow)) {
            return true;
        }
        REFUSALS.info("dialog of another side", () -> request.getMethod() + " " + request.getCallId().getCallId()
                + " on "
                + (flow == null ? "the core side" : flow.describe()) + " refused: its dialog belongs to another side");
        answer(request, channel, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
        return false;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        if (channel instanceof WebSocketMessageChannel) {
            return true;
        }
        InetAddress source = channel.getPeerPacketSourceAddress();
        if (trustedPeers.trusts(source)) {
            if (response instanceof SIPResponse sip) { // any response, a 100 Trying too: the core took it
                backlog.answered(sip.getTopmostVia() == null ? null : sip.getTopmostVia().getBranch());
            }
            var cseq = (javax.sip.header.CSeqHeader) response.getHeader(javax.sip.header.CSeqHeader.NAME);
            if (response.getStatusCode() / 100 == 2 && cseq != null && Request.INVITE.equals(cseq.getMethod())) {
                AnswerRetransmissions.Step step = response instanceof SIPResponse sip ? retransmissions.take(sip)
                        : AnswerRetransmissions.Step.PASS;
                switch (step) {
                    case RE_ACK, DROP -> {
                        return false; // a repeat of a 2xx the witness saw first: re-ACKed here, not after the stack's scan
                    }
                    case HAND_OVER -> {
                        untaken.saw(response); // the stack would drop it; the B2BUA releases the branch
                        return false;
                    }
                    case PASS -> answers.saw(response);
                }
            }
            return true;
        }
        LOG.fine(() -> "Response " + response.getStatusCode() + " from " + source + " dropped: not a trusted IMS node");
        return false;
    }

    private static InetAddress sourceOf(SIPRequest request, MessageChannel channel) {
        return request.getPeerPacketSourceAddress() != null ? request.getPeerPacketSourceAddress()
                : channel.getPeerPacketSourceAddress();
    }

    /** A stateless answer (no transaction exists, none is made); nothing for an ACK. */
    private void answer(SIPRequest request, MessageChannel channel, int status, String reason, String warning) {
        if (Request.ACK.equals(request.getMethod())) {
            return;
        }
        try {
            SIPResponse response = reason == null ? request.createResponse(status)
                    : request.createResponse(status, reason);
            if (warning != null) {
                response.addHeader(headers.createWarningHeader(warnAgent, 399, warning));
            }
            channel.sendMessage(response);
        } catch (Exception e) {
            LOG.log(Level.FINE, "Could not answer " + status + " to " + request.getMethod(), e);
        }
    }

    @Override
    public void init(SipStack stack) {
        // configured by its constructor
    }

    @Override
    public void destroy() {
        // nothing held
    }
}

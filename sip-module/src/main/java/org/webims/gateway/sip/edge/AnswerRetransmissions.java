package org.webims.gateway.sip.edge;

import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.DialogState;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;

/**
 * A 2xx to one of the gateway's INVITEs that the core repeats after the INVITE transaction ended with the first copy:
 * the UAS sends it again until the ACK reaches it (RFC 3261 §13.3.1.4). It is recognised at the door from its dialog
 * and answered as RFC 3261 §13.2.2.4 says, the ACK re-sent when it was sent; a copy that comes before the B2BUA's ACK
 * is dropped, as the B2BUA would drop it, since the ACK is on its way. JAIN-SIP reaches the same end, but only after
 * looking for the response's transaction through every client transaction of the stack, on the one thread that reads
 * the core's TCP connection: when the workers fall behind, ACKs are late, the core repeats more 2xx and each copy
 * costs a scan of all transactions (issue 14, note 19 §2). Anything else (a fork's answer, an answer of no known
 * dialog, an early dialog) goes on to the stack as before.
 */
public final class AnswerRetransmissions {
    private static final Logger LOG = Logger.getLogger(AnswerRetransmissions.class.getName());
    /** RFC 3261 §8.1.1.7: a branch with this prefix names its transaction uniquely; with another, the stack matches by
     * RFC 2543 rules, which only its scan can do. */
    private static final String RFC3261_BRANCH = "z9hg4bk";

    /** What becomes of a 2xx to an INVITE that found no transaction. */
    enum Step {
        /** Not a repeat of a known dialog's answer: the stack handles it. */
        PASS,
        /** A repeat whose ACK was sent: the ACK is sent again, nothing else. */
        RE_ACK,
        /** A repeat the B2BUA has nothing to do with (its ACK not yet sent, or the dialog ended): dropped. */
        DROP
    }

    /** The dialog a 2xx names, as far as deciding goes. */
    record AnsweredDialog(DialogState state, String method, boolean forkOfAnother, boolean ackSent,
            long ackedSeqNumber) {
    }

    private final SIPTransactionStack stack;

    public AnswerRetransmissions(SIPTransactionStack stack) {
        this.stack = stack;
    }

    /**
     * Whether this 2xx to an INVITE, from a trusted core node, was a repeat taken care of here (then the stack must not
     * see it). Never blocks: a re-sent ACK goes out as the stack sends it.
     */
    public boolean absorbed(SIPResponse ok) {
        String key = ok.getTransactionId();
        if (key == null || !key.startsWith(RFC3261_BRANCH) || stack.findTransaction(key, false) != null) {
            return false;
        }
        SIPDialog dialog = stack.getDialog(ok.getDialogId(false));
        if (dialog == null) {
            return false;
        }
        Step step = step(describe(dialog, ok), ok.getCSeq());
        if (step == Step.RE_ACK) {
            try {
                dialog.resendAck();
            } catch (SipException e) {
                LOG.log(Level.FINE, "Could not send the ACK again for a repeated " + ok.getStatusCode(), e);
            }
        }
        return step != Step.PASS;
    }

    private AnsweredDialog describe(SIPDialog dialog, SIPResponse ok) {
        SIPClientTransaction original = stack.getForkedTransaction(ok.getForkId());
        // as the stack tells a fork: the INVITE's transaction made another dialog first
        boolean fork = original != null && original.getDefaultDialog() != null
                && !dialog.equals(original.getDefaultDialog());
        // the ACK the B2BUA sent last on this dialog: the test JAIN-SIP makes for a response with no transaction
        boolean acked = dialog.isLastAckPresent();
        return new AnsweredDialog(dialog.getState(), dialog.getMethod(), fork, acked,
                acked ? dialog.getLastAckSentCSeq().getSeqNumber() : -1);
    }

    /** The decision, from the dialog alone. */
    static Step step(AnsweredDialog dialog, CSeqHeader cseq) {
        if (dialog.state() == DialogState.TERMINATED) {
            return Step.DROP; // as the stack does: the call has ended
        }
        if (dialog.forkOfAnother() || !Request.INVITE.equals(cseq.getMethod())
                || !Request.INVITE.equals(dialog.method())) {
            return Step.PASS;
        }
        if (dialog.state() != DialogState.CONFIRMED) {
            return Step.PASS; // an early dialog's first 2xx after a fork's: the stack confirms it, the B2BUA releases it
        }
        return dialog.ackSent() && dialog.ackedSeqNumber() == cseq.getSeqNumber() ? Step.RE_ACK : Step.DROP;
    }
}

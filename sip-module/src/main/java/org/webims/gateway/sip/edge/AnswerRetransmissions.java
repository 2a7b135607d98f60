package org.webims.gateway.sip.edge;

import gov.nist.javax.sip.SIPConstants;
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
 * and answered as RFC 3261 §13.2.2.4 says: the ACK re-sent when it was sent, also after the call ended; a copy that
 * comes before the B2BUA's ACK is dropped, as the B2BUA would drop it, since the ACK is on its way. JAIN-SIP would
 * look for the response's transaction through every client transaction of the stack first, on the one thread that
 * reads the core's TCP connection: when the workers fall behind, ACKs are late, the core repeats more 2xx and each
 * copy costs a scan of all transactions (issue 14, note 19 §2). A 2xx on a TERMINATED dialog that never took it (a
 * branch, the first or a fork, answering after its call ended) is handed to the B2BUA, since the stack would drop it;
 * anything else (a live fork's answer, an answer of no known dialog, an early dialog) goes on to the stack.
 */
public final class AnswerRetransmissions {
    private static final Logger LOG = Logger.getLogger(AnswerRetransmissions.class.getName());

    /** What becomes of a 2xx to an INVITE that found no transaction. */
    enum Step {
        /** Not a repeat of the answered dialog's 2xx: the stack handles it (a fork's answer is released there). */
        PASS,
        /** A repeat whose ACK was sent: the ACK is sent again, nothing else. */
        RE_ACK,
        /** A repeat whose ACK the B2BUA is about to send: dropped. */
        DROP,
        /**
         * A 2xx that a TERMINATED dialog never took (a branch answering after its call ended): the stack would drop it
         * (JAIN-SIP drops any 2xx on a TERMINATED dialog), so it goes straight to the B2BUA, which ACKs and BYEs it.
         */
        HAND_OVER
    }

    /**
     * The dialog a 2xx names, as far as deciding goes.
     *
     * @param ackedSeqNumber the CSeq number of the last ACK sent on it, -1 if none
     */
    record AnsweredDialog(DialogState state, String method, boolean forkOfAnother, long ackedSeqNumber) {
    }

    private final SIPTransactionStack stack;

    public AnswerRetransmissions(SIPTransactionStack stack) {
        this.stack = stack;
    }

    /**
     * What becomes of this 2xx to an INVITE, from a trusted core node: PASS leaves it to the stack; RE_ACK (the ACK
     * already sent again on this thread, as the stack would have sent it) and DROP keep it from the stack; HAND_OVER
     * keeps it from the stack for the caller to give to the B2BUA. Any failure leaves the response to the stack.
     */
    public Step take(SIPResponse ok) {
        try {
            String key = ok.getTransactionId();
            if (key == null || !key.startsWith(SIPConstants.BRANCH_MAGIC_COOKIE_LOWER_CASE)
                    || stack.findTransaction(key, false) != null) {
                return Step.PASS; // RFC 2543 branches are matched by the stack's rules only
            }
            SIPDialog dialog = stack.getDialog(ok.getDialogId(false));
            if (dialog == null) {
                return Step.PASS;
            }
            Step step = step(describe(dialog, ok), ok.getCSeq());
            if (step == Step.RE_ACK) {
                dialog.resendAck();
            }
            return step;
        } catch (SipException | RuntimeException e) {
            LOG.log(Level.FINE, e, () -> "A repeated " + ok.getStatusCode() + " of " + ok.getCallId().getCallId()
                    + " left to the stack");
            return Step.PASS;
        }
    }

    private AnsweredDialog describe(SIPDialog dialog, SIPResponse ok) {
        SIPClientTransaction original = stack.getForkedTransaction(ok.getForkId());
        SIPDialog first = original == null ? null : original.getDefaultDialog();
        // as the stack tells a fork: the INVITE's transaction made another dialog first
        boolean fork = first != null && !dialog.equals(first);
        // the ACK the B2BUA sent last on this dialog (the stack's own test, its dialog id being this one)
        CSeqHeader acked = dialog.getLastAckSentCSeq();
        return new AnsweredDialog(dialog.getState(), dialog.getMethod(), fork,
                acked == null ? -1 : acked.getSeqNumber());
    }

    /** The decision, from the dialog alone. */
    static Step step(AnsweredDialog dialog, CSeqHeader cseq) {
        if (!Request.INVITE.equals(cseq.getMethod()) || !Request.INVITE.equals(dialog.method())) {
            return Step.PASS;
        }
        if (dialog.state() == DialogState.TERMINATED) {
            // its call ended, a fork's dialog or the first: a repeat of the answer it took is ACKed again (RFC 3261
            // §13.2.2.4, every 2xx); an answer it never took (a branch that answered after the call ended) goes to the
            // B2BUA, to ACK and BYE: the stack drops any 2xx on a TERMINATED dialog
            return dialog.ackedSeqNumber() == cseq.getSeqNumber() ? Step.RE_ACK : Step.HAND_OVER;
        }
        if (dialog.forkOfAnother()) {
            return Step.PASS; // a live fork's 2xx: the stack names the original transaction, the B2BUA releases it
        }
        if (dialog.state() != DialogState.CONFIRMED) {
            return Step.PASS; // an early dialog's first 2xx after a fork's: the stack confirms it, the B2BUA releases it
        }
        return dialog.ackedSeqNumber() == cseq.getSeqNumber() ? Step.RE_ACK : Step.DROP;
    }
}

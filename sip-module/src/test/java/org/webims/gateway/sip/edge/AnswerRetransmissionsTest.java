package org.webims.gateway.sip.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gov.nist.javax.sip.header.CSeq;
import javax.sip.DialogState;
import javax.sip.header.CSeqHeader;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.edge.AnswerRetransmissions.AnsweredDialog;
import org.webims.gateway.sip.edge.AnswerRetransmissions.Step;

/** What becomes of a 2xx to an INVITE that found no transaction, from its dialog ({@link AnswerRetransmissions}). */
class AnswerRetransmissionsTest {

    private static CSeqHeader cseq(long number, String method) throws Exception {
        return new CSeq(number, method);
    }

    private static AnsweredDialog confirmed(long acked) {
        return new AnsweredDialog(DialogState.CONFIRMED, "INVITE", false, acked);
    }

    @Test
    void aRepeatOfAnAnswerWhoseAckWasSentGetsTheAckAgain() throws Exception {
        assertEquals(Step.RE_ACK, AnswerRetransmissions.step(confirmed(1), cseq(1, "INVITE")));
        assertEquals(Step.RE_ACK, AnswerRetransmissions.step(confirmed(3), cseq(3, "INVITE")), "a re-INVITE's");
    }

    @Test
    void aRepeatBeforeTheAckIsDroppedAsTheB2buaWouldDropIt() throws Exception {
        assertEquals(Step.DROP, AnswerRetransmissions.step(confirmed(-1), cseq(1, "INVITE")));
        assertEquals(Step.DROP, AnswerRetransmissions.step(confirmed(1), cseq(2, "INVITE")),
                "a re-INVITE's answer repeated before its ACK: the last ACK sent was the initial INVITE's");
    }

    @Test
    void aRepeatOnAnEndedDialogIsAcknowledgedAgain() throws Exception {
        assertEquals(Step.RE_ACK, AnswerRetransmissions.step(
                new AnsweredDialog(DialogState.TERMINATED, "INVITE", false, 1), cseq(1, "INVITE")),
                "RFC 3261 §13.2.2.4: every 2xx is ACKed, the call's end does not change that");
    }

    @Test
    void aRepeatOnAnEndedForkDialogTheB2buaAcknowledgedIsAcknowledgedAgain() throws Exception {
        assertEquals(Step.RE_ACK, AnswerRetransmissions.step(
                new AnsweredDialog(DialogState.TERMINATED, "INVITE", true, 1), cseq(1, "INVITE")),
                "a fork released through its own dialog (ACK then BYE): the stack would drop the repeat unACKed");
    }

    @Test
    void anAnswerAnEndedDialogNeverTookIsHandedToTheB2buaForTheStackWouldDropIt() throws Exception {
        assertEquals(Step.HAND_OVER, AnswerRetransmissions.step(
                new AnsweredDialog(DialogState.TERMINATED, "INVITE", false, -1), cseq(1, "INVITE")),
                "a branch whose early dialog ended with the call answers late: it must be ACKed and ended with BYE");
    }

    @Test
    void aForksAnswerAnEarlyDialogOrAnotherMethodGoesToTheStack() throws Exception {
        assertEquals(Step.PASS, AnswerRetransmissions.step(
                new AnsweredDialog(DialogState.CONFIRMED, "INVITE", true, -1), cseq(1, "INVITE")),
                "another branch's answer: the B2BUA releases that branch");
        assertEquals(Step.HAND_OVER, AnswerRetransmissions.step(
                new AnsweredDialog(DialogState.TERMINATED, "INVITE", true, -1), cseq(1, "INVITE")),
                "once its call ended, straight to the B2BUA: the stack would drop it, the branch still answered");
        assertEquals(Step.PASS, AnswerRetransmissions.step(
                new AnsweredDialog(DialogState.EARLY, "INVITE", false, -1), cseq(1, "INVITE")),
                "the first 2xx of an early dialog");
        assertEquals(Step.PASS, AnswerRetransmissions.step(
                new AnsweredDialog(DialogState.CONFIRMED, "SUBSCRIBE", false, -1), cseq(1, "INVITE")));
        assertEquals(Step.PASS, AnswerRetransmissions.step(confirmed(1), cseq(1, "UPDATE")));
    }
}

package org.webims.gateway.sip.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import java.util.List;
import java.util.Map;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.CallEvent;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.ports.call.Party;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.Limit;
import org.webims.gateway.ports.policy.Source;

/**
 * Call control in seconds, without a server: the gateway's real JAIN-SIP stack, edge proxy and B2BUA between an
 * in-memory WebRTC client and a real JAIN-SIP stack as the IMS core. Admission refusals, each way a call ends (with
 * the end cause published), a fork and the CANCEL/200 race.
 */
class CallControlHarnessTest extends RegisteredAliceHarness {
    // ------------------------------------------------------------------------------------------ admission

    @Test
    void anEmergencyCallIsRefusedWith380AndNeverReachesTheCore() {
        SIPResponse refusal = alice.call("112").awaitFinal();
        assertEquals(380, refusal.getStatusCode());
        assertTrue(new String(refusal.getRawContent()).contains("<type>emergency</type>"));
        assertEquals(0, core.count(Request.INVITE));
        assertTrue(gateway.events().isEmpty(), "no call was set up: " + gateway.events());
    }

    @Test
    void anInviteBeforeRegisteringIsRefused() {
        WebRtcClient stranger = new WebRtcClient("mallory", GatewayUnderTest.DOMAIN)
                .connect(gateway.runtime.webSockets());
        SIPResponse refusal = new ClientCall(stranger, "sip:bob@" + GatewayUnderTest.DOMAIN).invite().awaitFinal();
        assertEquals(403, refusal.getStatusCode());
        assertEquals(0, core.count(Request.INVITE));
    }

    @Test
    void aPolicyRefusalIsA403NamingTheLayerAndAnEndedRefusedEvent() {
        Source operator = Source.OPERATOR_DEFAULT;
        gateway.policy(subject -> new EffectivePolicy(subject, null, Map.of(), List.of(), List.of(),
                new Limit(0, operator), null, null, null, null, null, false));
        SIPResponse refusal = alice.call("bob").awaitFinal();
        assertEquals(403, refusal.getStatusCode());
        assertTrue(refusal.getHeader("Warning").toString().contains("at most 0 simultaneous calls, set by operator"),
                refusal.toString());
        CallEnd end = gateway.ended();
        assertEquals(EndCause.REFUSED, end.cause());
        assertEquals(Party.GATEWAY, end.by());
        assertEquals(0, core.count(Request.INVITE), "nothing reached the core");
        gateway.awaitNoCall();
    }

    /**
     * RFC 3264 §5, RFC 3261 §14.1: the core's offerless re-INVITE gets the client's offer in our 2xx, and the client's
     * 2xx waits for our ACK until the core's ACK brings the answer. A second re-INVITE from the core meanwhile is
     * answered 491 once that ACK has come: relayed, it would replace the held 2xx, whose ACK would be lost; answered
     * at once, the stack would have dropped the core's ACK, which no longer matched the dialog's last answer.
     */
    @Test
    void aReInviteBeforeTheAckOfOurOfferIsAnswered491OnceThatAckHasCome() throws Exception {
        Response reOk = heldClientTwoHundred("term-491");
        core.reinvite(reOk, "bob1", 3, FakeCore.SDP);
        Thread.sleep(300);
        assertTrue(core.responses().stream().noneMatch(r -> r.getStatusCode() >= 200 && cseqOf(r) == 3),
                "no final answer before the ACK: " + core.responses());
        core.ack(reOk, "bob1", FakeCore.SDP);
        Response pending = awaitCoreResponse(3);
        assertEquals(491, pending.getStatusCode(), pending.toString());
        assertTrue(pending.getHeader("Warning").toString().contains("still being answered"), pending.toString());
        assertEquals(1L, alice.received().stream().filter(m -> m instanceof SIPRequest r
                && Request.INVITE.equals(r.getMethod()) && r.getCSeq().getSeqNumber() > 1).count(),
                "the second re-INVITE never reached the client");
        SIPRequest ack = (SIPRequest) Await.first("the ACK of the client's 2xx", alice::received,
                m -> m instanceof SIPRequest r && Request.ACK.equals(r.getMethod()) && r.getCSeq().getSeqNumber() > 1);
        String answer = new String(ack.getRawContent());
        assertTrue(answer.contains("m=audio") && !answer.contains("m=audio 0 "), "the core's answer, not a declining"
                + " one, reached the client: " + ack);
        Thread.sleep(4_500); // past 64*T1: the core's ACK was taken, no ACK timeout ends the call
        assertEquals(0, core.count(Request.BYE), "no BYE: " + core.requests());
        assertEquals(1, gateway.runtime.calls().size(), "the call is up");
    }

    /**
     * The core's ACK and then at once a new re-INVITE: when the ACK's answer is still on its way to the media gateway
     * as the re-INVITE comes, that answer's completion answers it 491 (it was held until the call's end); when it came
     * after, it is relayed and the client's 200 answers it. Either way it gets a final answer.
     */
    @Test
    void aReInviteRightAfterTheAckOfOurOfferGetsAFinalAnswer() throws Exception {
        Response reOk = heldClientTwoHundred("term-491-after");
        alice.onArrival(m -> {
            if (m instanceof SIPRequest r && Request.INVITE.equals(r.getMethod()) && r.getCSeq().getSeqNumber() > 2) {
                alice.answer(r, 200, ClientCall.OFFER);
            }
        });
        core.ack(reOk, "bob1", FakeCore.SDP);
        core.reinvite(reOk, "bob1", 3, FakeCore.SDP);
        int status = awaitCoreResponse(3).getStatusCode();
        assertTrue(status == 491 || status == 200, "a final answer: " + status);
        assertEquals(1, gateway.runtime.calls().size(), "the call is up");
    }

    /** The same re-INVITE when the core's ACK never comes: the call ends (64*T1) and it gets 487 (RFC 3261 §15.1.2). */
    @Test
    void aReInviteBeforeAnAckThatNeverComesIsAnswered487WhenTheCallEnds() throws Exception {
        Response reOk = heldClientTwoHundred("term-487");
        core.reinvite(reOk, "bob1", 3, FakeCore.SDP);
        Response ended = Await.first("the final answer to the core's INVITE 3", core::responses,
                r -> r.getStatusCode() >= 200 && cseqOf(r) == 3, java.time.Duration.ofSeconds(10));
        assertEquals(487, ended.getStatusCode(), ended.toString());
        core.awaitRequest(Request.BYE);
        gateway.awaitNoCall();
    }

    /** A call from the core, then its offerless re-INVITE (CSeq 2) answered by the client with an offer: our 2xx. */
    private Response heldClientTwoHundred(String callId) throws Exception {
        core.invite(alice, callId, "bob1", FakeCore.SDP);
        SIPRequest invite = (SIPRequest) alice.awaitRequest(Request.INVITE);
        alice.answer(invite, 200, ClientCall.OFFER);
        Response ok = core.awaitInviteOk();
        core.ack(ok, "bob1", null);
        alice.awaitRequest(Request.ACK);
        core.reinvite(ok, "bob1", 2, null);
        SIPRequest reinvite = (SIPRequest) Await.first("the re-INVITE at the client", alice::received,
                m -> m instanceof SIPRequest r && Request.INVITE.equals(r.getMethod()) && r.getCSeq().getSeqNumber() > 1);
        alice.answer(reinvite, 200, ClientCall.OFFER);
        Response reOk = awaitCoreResponse(2);
        assertEquals(200, reOk.getStatusCode());
        return reOk;
    }

    private static long cseqOf(Response response) {
        return ((javax.sip.header.CSeqHeader) response.getHeader("CSeq")).getSeqNumber();
    }

    private Response awaitCoreResponse(long cseq) {
        return Await.first("the final answer to the core's INVITE " + cseq, core::responses, r -> r.getStatusCode() >= 200
                && cseqOf(r) == cseq);
    }

    @Test
    void theCallsPerConnectionCapIsTheFirstRefusalAfterTheRequestChecks() {
        core.onInvite((c, st) -> c.respond(st, 180, "a", null)); // ringing for ever
        alice.call("bob");
        alice.call("carol");
        core.awaitRequest(Request.INVITE);
        Await.until("two calls ringing", () -> core.count(Request.INVITE) == 2);
        SIPResponse third = alice.call("dave").awaitFinal();
        assertEquals(403, third.getStatusCode());
        assertTrue(third.getReasonPhrase().contains("too many calls"), third.getReasonPhrase());
    }

    // ------------------------------------------------------------------------------------------ how calls end

    @Test
    void aByeFromTheClientEndsBothLegs() {
        ClientCall call = alice.call("bob").connected();
        gateway.awaitEvent(CallEvent.Answered.class);
        call.bye();
        alice.awaitResponse("BYE", 200);
        core.awaitRequest(Request.BYE);
        assertEquals(new CallEnd(EndCause.BYE, Party.WEBRTC, 0, "BYE from the WebRTC side"), gateway.ended());
        gateway.awaitNoCall();
    }

    @Test
    void aByeFromTheCoreEndsBothLegs() throws Exception {
        alice.call("bob").connected();
        Request invite = core.awaitRequest(Request.INVITE);
        core.awaitRequest(Request.ACK);
        core.send(byeFrom(invite));
        alice.awaitRequest(Request.BYE);
        CallEnd end = gateway.ended();
        assertEquals(EndCause.BYE, end.cause());
        assertEquals(Party.IMS, end.by());
        gateway.awaitNoCall();
    }

    @Test
    void aCancelBeforeTheAnswerGets487AndCancelsTheCoreLeg() {
        core.onInvite((c, st) -> c.respond(st, 180, "a", null));
        ClientCall call = alice.call("bob");
        String earlyDialog = alice.awaitResponse("INVITE", 180).getToTag();
        call.cancel();
        SIPResponse terminated = call.awaitFinal();
        assertEquals(487, terminated.getStatusCode());
        // RFC 3261 §8.2.6.2, §12.1.1: the final answer carries the tag of the early dialog the 180 made
        assertEquals(earlyDialog, terminated.getToTag(), terminated.toString());
        core.awaitRequest(Request.CANCEL);
        CallEnd end = gateway.ended();
        assertEquals(EndCause.CANCEL, end.cause());
        assertEquals(Party.WEBRTC, end.by());
        gateway.awaitNoCall();
    }

    @Test
    void aRefusalFromTheCoreReachesTheClientWithItsStatus() {
        core.onInvite((c, st) -> c.respond(st, 486, "a", null));
        ClientCall call = alice.call("bob");
        SIPResponse busy = call.awaitFinal();
        assertEquals(486, busy.getStatusCode());
        call.ackRefusal(busy);
        CallEnd end = gateway.ended();
        assertEquals(EndCause.REFUSED, end.cause());
        assertEquals(486, end.status());
        gateway.awaitNoCall();
    }

    @Test
    void aCoreThatNeverAnswersTimesOutWith408() {
        core.onInvite(FakeCore.InvitePlan.SILENT); // Timer B (64*T1) runs out on the gateway's INVITE
        ClientCall call = alice.call("bob");
        SIPResponse timeout = (SIPResponse) Await.first("the 408", alice::received, m -> m instanceof SIPResponse r
                && r.getStatusCode() == 408);
        call.ackRefusal(timeout);
        assertEquals(EndCause.TIMEOUT, gateway.ended().cause());
        gateway.awaitNoCall();
    }

    @Test
    void anAnswerWithoutSdpIsAMediaFailureThatEndsBothLegs() {
        core.onInvite((c, st) -> {
            c.respond(st, 180, "a", null);
            c.respond(st, 200, "a", null); // a 2xx to our offer without an answer
        });
        ClientCall call = alice.call("bob");
        String earlyDialog = alice.awaitResponse("INVITE", 180).getToTag();
        SIPResponse refusal = call.awaitFinal();
        assertEquals(488, refusal.getStatusCode());
        // RFC 3261 §8.2.6.2: in the early dialog of the 180 that went before it
        assertEquals(earlyDialog, refusal.getToTag(), refusal.toString());
        call.ackRefusal(refusal);
        core.awaitRequest(Request.ACK);
        core.awaitRequest(Request.BYE); // RFC 3261 §13.2.2.4: acknowledged, then ended
        CallEnd end = gateway.ended();
        assertEquals(EndCause.MEDIA_FAILURE, end.cause());
        assertEquals(488, end.status());
        gateway.awaitNoCall();
    }

    @Test
    void aSessionRefreshTheCoreRefusesEndsTheCall() {
        // RFC 4028 §7.2: the core makes the gateway (the UAC) the refresher of a 2 s session; §10: a refused refresh
        core.onInvite((c, st) -> c.respond(st, 200, "a", FakeCore.SDP, "Session-Expires: 2;refresher=uac"));
        core.answerUpdatesWith(481);
        alice.call("bob").connected();
        core.awaitRequest(Request.UPDATE);
        alice.awaitRequest(Request.BYE);
        CallEnd end = gateway.ended();
        assertEquals(EndCause.REFRESH_FAILED, end.cause());
        assertEquals(481, end.status());
        gateway.awaitNoCall();
    }

    @Test
    void theWebSocketClosingMidCallSendsByeToTheCore() {
        alice.call("bob").connected();
        gateway.awaitEvent(CallEvent.Answered.class);
        alice.disconnect();
        core.awaitRequest(Request.BYE);
        assertEquals(EndCause.FLOW_CLOSED, gateway.ended().cause());
        gateway.awaitNoCall();
    }

    @Test
    void theLongestCallIsReleasedWithAReasonOnBothLegs() {
        gateway.policy(subject -> new EffectivePolicy(subject, null, Map.of(), List.of(), List.of(), null,
                new Limit(1, new Source(Layer.SUBSCRIBER, "sip:alice@ims.test")), null, null, null, null, false));
        alice.call("bob").connected();
        Request bye = core.awaitRequest(Request.BYE);
        assertTrue(bye.getHeader("Reason").toString().contains("longest call of 1 s reached"), bye.toString());
        alice.awaitRequest(Request.BYE);
        assertEquals(EndCause.POLICY_LIMIT, gateway.ended().cause());
        gateway.awaitNoCall();
    }

    // ------------------------------------------------------------------------------------------ forks and races

    @Test
    void aForkedCallFollowsTheBranchThatAnswersAndReleasesTheOther() {
        core.onInvite((c, st) -> {
            c.respond(st, 180, "branch-a", null);
            c.respond(st, 180, "branch-b", null);
            c.respond(st, 200, "branch-b", FakeCore.SDP);
            c.respondStateless(st.getRequest(), 200, "branch-a", FakeCore.SDP); // RFC 3261 §13.2.2.4: a late 2xx
        });
        alice.call("bob").connected();
        // UDP: the two 2xx may reach the gateway in either order; whichever came second is the branch that lost
        Request bye = core.awaitRequest(Request.BYE);
        Await.until("both branches acknowledged", () -> core.count(Request.ACK) == 2);
        assertTrue(bye.getHeader("To").toString().contains("branch-"), bye.toString());
        assertEquals(1, core.count(Request.BYE), "only the losing branch is released");
        assertEquals(1, distinctInviteOks(alice), "the client sees one answer");
        assertEquals(1, gateway.runtime.calls().size(), "the call goes on with the branch that answered first");
    }

    /**
     * The 2xx to INVITEs that get past every message valve of the gateway's stack (to its transaction matching), seen
     * by one more valve put after them.
     */
    private List<Response> answersPastTheValves() {
        List<Response> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var stack = gateway.runtime.stack();
        List<SIPMessageValve> valves = new java.util.concurrent.CopyOnWriteArrayList<>(stack.sipMessageValves);
        valves.add(new SIPMessageValve() {
            @Override
            public boolean processRequest(SIPRequest request, MessageChannel channel) {
                return true;
            }

            @Override
            public boolean processResponse(Response response, MessageChannel channel) {
                if (response.getStatusCode() == 200 && "INVITE".equals(((SIPResponse) response).getCSeq().getMethod())) {
                    seen.add(response);
                }
                return true;
            }

            @Override
            public void init(javax.sip.SipStack sipStack) {
            }

            @Override
            public void destroy() {
            }
        });
        stack.sipMessageValves = valves; // a new list: the stack's threads may be going through the old one
        return seen;
    }

    @Test
    void aTwoHundredTheCoreRepeatsAfterItsTransactionEndedIsAcknowledgedAgainAndGoesNoFurther() throws Exception {
        List<Response> pastTheValves = answersPastTheValves();
        ClientCall call = alice.call("bob").connected();
        gateway.awaitEvent(CallEvent.Answered.class);
        Request invite = core.awaitRequest(Request.INVITE);
        Await.until("the ACK of the 200", () -> core.count(Request.ACK) == 1);
        assertEquals(1, pastTheValves.size(), "the first 200 reached its transaction");
        awaitTransactionGone(invite);
        // RFC 3261 §13.2.2.4: every copy of the 2xx gets the ACK again from the UAC core, taken at the door, before
        // the stack's search of every transaction for it
        for (int copy = 1; copy <= 3; copy++) {
            core.respondStateless(invite, 200, "a", FakeCore.SDP);
            long acks = 1 + copy;
            Await.until("ACK " + acks, () -> core.count(Request.ACK) >= acks);
        }
        assertEquals(1, pastTheValves.size(), "no copy went past the valves to the stack");
        List<Request> acks = core.requests().stream().filter(r -> Request.ACK.equals(r.getMethod())).toList();
        for (Request again : acks) {
            assertEquals(acks.get(0).getHeader("CSeq"), again.getHeader("CSeq"));
            assertEquals(acks.get(0).getHeader("To"), again.getHeader("To"));
        }
        assertEquals(1, distinctInviteOks(alice), "the copy is not relayed");
        assertEquals(0, core.count(Request.BYE), "nor taken for another branch's answer");
        call.bye();
        core.awaitRequest(Request.BYE);
        assertEquals(EndCause.BYE, gateway.ended().cause());
    }

    /**
     * The 200s to INVITEs the client got, a retransmission counted once: the stack repeats the 2xx every T1 (50 ms
     * here) until the client's ACK is in (RFC 3261 §13.3.1.4), byte for byte.
     */
    private static long distinctInviteOks(WebRtcClient client) {
        return client.received().stream().filter(m -> m instanceof SIPResponse r && r.getStatusCode() == 200
                && "INVITE".equals(r.getCSeq().getMethod())).map(m -> m.encode()).distinct().count();
    }

    /** Until the gateway's transaction of this INVITE (as the core received it) has been removed from its stack. */
    private void awaitTransactionGone(Request invite) {
        String key = ((SIPRequest) invite).getTransactionId();
        Await.until("the INVITE transaction removed", () -> gateway.runtime.stack().findTransaction(key, false) == null);
    }

    @Test
    void aForksTwoHundredAfterTheCallEndedIsStillAcknowledgedAndEndedWithBye() throws Exception {
        // branch a rings first: its early dialog is the INVITE transaction's own, branch b's a fork of it
        lateAnswerAfterTheCallEnded("branch-a", "branch-b", "branch-a", "branch-b");
    }

    @Test
    void theFirstEarlyDialogsTwoHundredAfterTheCallEndedIsStillAcknowledgedAndEndedWithBye() throws Exception {
        // branch b rings first: its early dialog is the transaction's own, so that its late 2xx is no fork to the stack
        lateAnswerAfterTheCallEnded("branch-b", "branch-a", "branch-a", "branch-b");
    }

    @Test
    void aLateTwoHundredAfterAReInviteAndTheCallsEndIsStillAcknowledgedAndEndedWithBye() throws Exception {
        // the stack keeps the leg's last INVITE transaction for forks, here the re-INVITE's, not the initial one's
        reinviteBeforeTheEnd = true;
        lateAnswerAfterTheCallEnded("branch-b", "branch-a", "branch-a", "branch-b");
    }

    private boolean reinviteBeforeTheEnd;

    /**
     * Two branches ring in this order (waited for one by one: UDP datagrams may overtake each other), one answers,
     * the call ends and its INVITE transaction is removed; then the other branch answers (RFC 3261 §13.2.2.4): the
     * gateway must still ACK it and end it with BYE, so that it does not stay answered at the core.
     */
    private void lateAnswerAfterTheCallEnded(String ringsFirst, String ringsSecond, String answers, String answersLate)
            throws Exception {
        java.util.concurrent.CompletableFuture<javax.sip.ServerTransaction> ringing =
                new java.util.concurrent.CompletableFuture<>();
        core.onInvite((c, st) -> {
            c.respond(st, 180, ringsFirst, null);
            ringing.complete(st);
        });
        ClientCall call = alice.call("bob");
        javax.sip.ServerTransaction st = ringing.get(10, java.util.concurrent.TimeUnit.SECONDS);
        alice.awaitResponse("INVITE", 180);
        core.respond(st, 180, ringsSecond, null);
        SIPRequest sent = (SIPRequest) core.awaitRequest(Request.INVITE);
        String second = (sent.getCallId().getCallId() + ":" + sent.getFromTag() + ":" + ringsSecond).toLowerCase();
        Await.until("the second early dialog", () -> gateway.runtime.stack().getDialog(second) != null);
        core.respond(st, 200, answers, FakeCore.SDP);
        call.connected();
        Request invite = core.awaitRequest(Request.INVITE);
        Await.until("the ACK of the answer", () -> core.count(Request.ACK) == 1);
        if (reinviteBeforeTheEnd) {
            core.onInvite((c, reinvite) -> c.respond(reinvite, 200, answers, FakeCore.SDP));
            call.reinvite();
            Await.until("the ACK of the re-INVITE's answer", () -> core.count(Request.ACK) == 2);
        }
        call.bye();
        core.awaitRequest(Request.BYE);
        assertEquals(EndCause.BYE, gateway.ended().cause());
        gateway.awaitNoCall();
        awaitTransactionGone(invite);
        core.respondStateless(invite, 200, answersLate, FakeCore.SDP);
        java.util.function.Predicate<Request> lateAck = r -> Request.ACK.equals(r.getMethod())
                && r.getHeader("To").toString().contains(answersLate);
        java.util.function.Predicate<Request> lateBye = r -> Request.BYE.equals(r.getMethod())
                && r.getHeader("To").toString().contains(answersLate);
        Await.first("the ACK of the late answer", core::requests, lateAck);
        Await.first("the BYE of the late answer", core::requests, lateBye);
        Thread.sleep(600); // past the B2BUA's second look at that copy (300 ms after it arrived)
        long acks = core.requests().stream().filter(lateAck).count();
        assertEquals(1, acks, "one ACK for one copy (a UAS such as SIPp counts a second as unexpected)");
        // the branch repeats its 2xx (our ACK lost, say): ACKed again (RFC 3261 §13.2.2.4), not ended twice
        core.respondStateless(invite, 200, answersLate, FakeCore.SDP);
        Await.until("the repeat ACKed again", () -> core.requests().stream().filter(lateAck).count() > acks);
        Thread.sleep(600);
        assertEquals(acks + 1, core.requests().stream().filter(lateAck).count(), "one ACK for the repeat");
        assertEquals(1, core.requests().stream().filter(lateBye).count(), "one BYE");
    }

    @Test
    void aTwoHundredThatCrossesTheCancelIsAcknowledgedAndEndedWithBye() throws Exception {
        core.onInvite((c, st) -> c.respond(st, 180, "a", null));
        // the core answered before it saw the CANCEL: its 200 (not 487) reaches the gateway after the call ended
        core.onCancel((c, invite) -> c.respond(invite, 200, "a", FakeCore.SDP));
        ClientCall call = alice.call("bob");
        alice.awaitResponse("INVITE", 180);
        call.cancel();
        assertEquals(487, call.awaitFinal().getStatusCode());
        Await.first("the ACK of the late 200", core::requests, r -> Request.ACK.equals(r.getMethod()));
        Await.first("the BYE of the late 200", core::requests, r -> Request.BYE.equals(r.getMethod()));
        assertEquals(EndCause.CANCEL, gateway.ended().cause());
        gateway.awaitNoCall();
        Thread.sleep(600); // past the B2BUA's second look at the 200 (300 ms after it arrived)
        assertEquals(1, core.count(Request.ACK), "one ACK for the one 200");
    }

    @Test
    void aTwoHundredAfterTheClientLeftBeforeAnyAnswerIsAcknowledgedAndEndedWithBye() throws Exception {
        java.util.concurrent.CompletableFuture<javax.sip.ServerTransaction> held =
                new java.util.concurrent.CompletableFuture<>();
        core.onInvite((c, st) -> held.complete(st)); // no 1xx with a tag: our dialog has no remote target yet
        core.onCancel((c, invite) -> { }); // the 200 below crosses the CANCEL
        alice.call("bob");
        javax.sip.ServerTransaction invite = held.get(10, java.util.concurrent.TimeUnit.SECONDS);
        alice.disconnect();
        assertEquals(EndCause.FLOW_CLOSED, gateway.ended().cause());
        core.respond(invite, 200, "late", FakeCore.SDP); // the call ended before the core answered
        Await.first("the ACK of the late 200", core::requests, r -> Request.ACK.equals(r.getMethod()));
        Await.first("the BYE of the late 200", core::requests, r -> Request.BYE.equals(r.getMethod()));
        gateway.awaitNoCall();
    }

    // ------------------------------------------------------------------------------------------ termination

    @Test
    void aClientsBusy503ReachesTheCoreAsA500WithItsRetryAfter() throws Exception {
        core.invite(alice, "term-503", "bob2", FakeCore.SDP);
        SIPRequest invite = (SIPRequest) alice.awaitRequest(Request.INVITE);
        var busy = invite.createResponse(503, "Service Unavailable");
        busy.addHeader(javax.sip.SipFactory.getInstance().createHeaderFactory().createRetryAfterHeader(30));
        busy.getTo().setTag("alice503");
        alice.send(busy.encode());
        // RFC 3261 §21.5.4: a 503 with Retry-After would tell the core to send this node nothing for 30 s
        Response refused = Await.first("the refusal at the core", core::responses, r -> r.getStatusCode() >= 300
                && "term-503".equals(((javax.sip.header.CallIdHeader) r.getHeader("Call-ID")).getCallId()));
        assertEquals(500, refused.getStatusCode(), refused.toString());
        assertEquals("Server Internal Error", refused.getReasonPhrase());
        assertTrue(refused.getHeader("Retry-After") != null, "the client's Retry-After kept: " + refused);
        gateway.awaitNoCall();
    }

    @Test
    void aTerminatingCallReachesTheClientAndEndsWithTheCoresBye() throws Exception {
        core.invite(alice, "term-1", "bob1", FakeCore.SDP);
        SIPRequest invite = (SIPRequest) alice.awaitRequest(Request.INVITE);
        assertTrue(new String(invite.getRawContent()).contains("m=audio"), "the offer reached the client");
        alice.answer(invite, 200, ClientCall.OFFER);
        Response ok = core.awaitInviteOk();
        String gatewayContact = ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI().toString();
        String toWithTag = ok.getHeader("To").toString().substring(3).trim();
        core.ack(ok, "bob1", null);
        alice.awaitRequest(Request.ACK);
        gateway.awaitEvent(CallEvent.Answered.class);
        core.send(String.join("\r\n", "BYE " + gatewayContact + " SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:" + core.port + ";branch=z9hG4bKtbye" + System.nanoTime(),
                "Max-Forwards: 70", "From: <sip:bob@ims.test>;tag=bob1", "To: " + toWithTag, "Call-ID: term-1",
                "CSeq: 2 BYE", "Content-Length: 0", "", ""));
        alice.awaitRequest(Request.BYE);
        CallEnd end = gateway.ended();
        assertEquals(EndCause.BYE, end.cause());
        assertEquals(Party.IMS, end.by());
        gateway.awaitNoCall();
    }

    /** A BYE from the core in the dialog its INVITE answer made (To tag "a", the gateway's Contact). */
    private String byeFrom(Request invite) {
        String contact = ((ContactHeader) invite.getHeader(ContactHeader.NAME)).getAddress().getURI().toString();
        FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
        return String.join("\r\n", "BYE " + contact + " SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:" + core.port + ";branch=z9hG4bKbye" + System.nanoTime(),
                "Max-Forwards: 70", "From: " + invite.getHeader("To").toString().substring(4).trim() + ";tag=a",
                "To: " + from.getAddress() + ";tag=" + from.getTag(),
                "Call-ID: " + ((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId(), "CSeq: 1 BYE",
                "Content-Length: 0", "", "");
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipResponses;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.Meters;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * Calls through the B2BUA between a WebSocket client speaking WebRTC SDP and SIPp phones behind Kamailio, with
 * rtpengine rewriting every offer and answer (TS 24.371 §7): the SDP each side receives, the relay of every
 * answer, and teardown from every direction leaving no call and no media session behind. Media itself is measured
 * by the browser tests.
 */
class CallSignallingIT extends MediaTestBase {
    private static final String ORIGIN = TestBed.ORIGIN;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static WsSipClient registeredAlice() {
        WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(), "sip");
        assertEquals(200, alice.register(600).status());
        return alice;
    }

    /**
     * An IMS phone echoing media; its bare {@code <pause/>}s (early media before the answer) last 1 s. SIPp's own
     * default is 0, which sends a 183 and the 200 back to back over UDP: the gateway may then take them in either
     * order, and a test waiting for the 183 would wait in vain.
     */
    private static Sipp phone(String scenario) {
        return Sipp.scenario(scenario).args("-rtp_echo", "-d", "1000");
    }

    @Test
    void aWebrtcClientCallsAnImsPhoneAndHangsUp() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-answer.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(180, WAIT);
            SipMessage ok = call.await(200, WAIT);
            String answer = ok.body();
            assertTrue(answer.contains("UDP/TLS/RTP/SAVPF"), "the browser gets DTLS-SRTP:\n" + answer);
            assertTrue(answer.contains("a=fingerprint:sha-256"), answer);
            assertTrue(answer.matches("(?s).*a=setup:(active|passive).*"), "only active or passive:\n" + answer);
            assertTrue(answer.contains("a=rtcp-mux") && answer.contains("a=ice-ufrag"), answer);
            assertFalse(answer.contains("a=crypto"), answer);
            assertTrue(uas.awaitLogLine("INVITE proto=RTP/AVP", WAIT).isPresent(),
                    "the phone was offered plain RTP/AVP: " + uas.logLines());
            call.ack();
            assertTrue(uas.awaitLogLine("ACK", WAIT).isPresent());

            List<JsonObject> calls = api.calls();
            assertEquals(1, calls.size(), calls.toString());
            assertEquals("CONFIRMED", calls.get(0).getString("state"));
            assertEquals("ORIGINATING", calls.get(0).getString("direction"));
            assertTrue(calls.get(0).getString("webrtcMedia").contains("opus"), calls.toString());
            assertTrue(calls.get(0).getString("imsMedia").contains("PCMU"), calls.toString());
            assertEquals(1, rtpengine.sessions().size());
            assertEquals(1.0, Meters.now("webims_calls"), "the operator's gauge counts the call up");

            assertEquals(200, call.bye().status());
            assertTrue(uas.awaitLogLine("BYE", WAIT).isPresent(), "the BYE reached the phone");
            assertTrue(uas.await(WAIT).ok(), "the phone's scenario completed");
            Meters.await("webims_calls", 0, WAIT); // and no longer once it ended
        }
    }

    @Test
    void earlyMediaWithReliable183ReachesAClientWithout100rel() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-early-media-100rel.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            SipMessage early = call.await(183, WAIT);
            assertTrue(early.body() != null && early.body().contains("UDP/TLS/RTP/SAVPF"),
                    "early media SDP for the browser:\n" + early.body());
            assertTrue(early.headers("Require").stream().noneMatch(r -> r.contains("100rel")),
                    "not reliable toward a client that did not ask for it (no 420)");
            assertTrue(uas.awaitLogLine("PRACK", WAIT).isPresent(), "the gateway sent PRACK to the core itself");
            answeredThenHungUp(call, uas);
        }
    }

    @Test
    void aClientSupporting100relPracksTheCoresReliable183EndToEnd() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-early-media-100rel.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort())
                    .invite(WebrtcSdp.opusOffer(), List.of(SUPPORTED_100REL));
            SipMessage early = call.await(183, WAIT);
            assertTrue(isReliable(early), "the 183 is reliable toward a client that supports 100rel");
            assertTrue(early.body() != null && early.body().contains("UDP/TLS/RTP/SAVPF"), early.body());
            Thread.sleep(1000);
            assertTrue(uas.logLines().stream().noneMatch(l -> l.contains("PRACK")),
                    "the core's PRACK waits for the client's: " + uas.logLines());
            assertEquals(200, call.prack(early).status(), "the core's 200 to PRACK reaches the client");
            assertTrue(uas.awaitLogLine("PRACK", WAIT).isPresent(), uas.logLines().toString());
            answeredThenHungUp(call, uas);
        }
    }

    @Test
    void aCoreAnsweringBeforeThePrackOfItsReliable180StillConnectsTheClient() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-answer-before-prack.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort())
                    .invite(WebrtcSdp.opusOffer(), List.of(SUPPORTED_100REL));
            SipMessage ringing = call.await(180, WAIT);
            assertTrue(isReliable(ringing), "the 180 is reliable toward the client");
            assertTrue(uas.awaitLogLine("ACK", WAIT).isPresent(), "the gateway took the core's 200 at once");
            assertTrue(alice.receivedMessages().stream().noneMatch(m -> m.isResponse() && m.status() == 200
                    && "INVITE".equals(m.cseqMethod())), "RFC 3262 §3: our 200 waits for the client's PRACK");
            assertEquals(200, call.prack(ringing).status());
            answeredThenHungUp(call, uas);
        }
    }

    @Test
    void aClientRequiring100relGetsEvery18xReliablyEvenWhenTheCoresWasNot() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-answer.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort())
                    .invite(WebrtcSdp.opusOffer(), List.of("Require: 100rel", "Supported: 100rel"));
            SipMessage ringing = call.await(180, WAIT);
            assertTrue(isReliable(ringing), "RFC 3262 §3: reliable toward a client that requires it");
            assertEquals(200, call.prack(ringing).status(), "the gateway answers the PRACK of its own 180");
            answeredThenHungUp(call, uas);
        }
    }

    @Test
    void earlyMediaTheNetworkDidNotAuthoriseIsNotOpened() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-early-media-gated.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            SipMessage progress = call.await(183, WAIT);
            assertTrue(progress.body() == null || progress.body().isEmpty(),
                    "RFC 5009: P-Early-Media inactive keeps the SDP from the client: " + progress);
            answeredThenHungUp(call, uas);
        }
    }

    @Test
    void theGatewayRefreshesTheSessionTowardTheCoreItself() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-session-timer.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            connected(call, uas);
            assertTrue(uas.awaitLogLine("REFRESH 2", WAIT).isPresent(),
                    "two refreshes within 4 s intervals, the client doing nothing: " + uas.logLines());
            assertTrue(alice.receivedRequests().isEmpty(), "refreshes stay on the IMS leg");
            hungUp(call, uas);
        }
    }

    @Test
    void aLargeRequestWithinTheDialogGoesToTheCoreOverTcp() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-info-large.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            String body = "Signal=5\r\nDuration=160\r\n" + "X-Padding=" + "x".repeat(1400) + "\r\n";
            assertEquals(200, call.info("application/dtmf-relay", body).status());
            assertTrue(uas.awaitLogLine("INFO over TCP", WAIT).isPresent(),
                    "an INFO over 1300 bytes left the gateway over TCP (RFC 3261 §18.1.1): " + uas.logLines());
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void theImsPhoneHangsUp() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-answer-hangup.xml").start()) {
            alice.setRequestHandler(request -> "BYE".equals(request.method())
                    ? SipResponses.responseTo(request, 200, "OK") : null);
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            alice.awaitMessage("BYE from the phone", m -> m.isRequest() && "BYE".equals(m.method()), WAIT);
            assertTrue(uas.await(WAIT).ok(), "the phone got 200 for its BYE: " + uas.logLines());
        }
    }

    @Test
    void aCallCancelledBeforeTheAnswer() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-ring-cancel.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(180, WAIT);
            assertEquals(200, call.cancel().status());
            assertEquals(487, call.awaitFinal(WAIT).status());
            assertTrue(uas.awaitLogLine("CANCEL", WAIT).isPresent(), "the CANCEL reached the phone");
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void aCancelRightBehindTheInviteLeavesNoPhoneRinging() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-ring-cancel.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            // Sent at once: it reaches the call while rtpengine is still preparing the offer for the core.
            assertEquals(200, call.cancel().status());
            assertEquals(487, call.awaitFinal(WAIT).status());
            Thread.sleep(2000);
            List<String> seen = uas.logLines();
            assertTrue(!seen.contains("INVITE") || seen.contains("CANCEL"), "no phone is left ringing: " + seen);
        } // and, checked after each test, no call and no media session is left
    }

    @Test
    void aConnectionPlacesAtMostFourCallsAtOnce() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-ring-cancel.xml").calls(4).start()) {
            List<WsCall> ringing = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
                call.await(180, WAIT);
                ringing.add(call);
            }
            WsCall fifth = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            SipMessage refused = fifth.awaitFinal(WAIT);
            fifth.ackRefusal(refused);
            assertEquals(403, refused.status());
            assertEquals("Forbidden (too many calls)", refused.reason());
            assertTrue(refused.header("Warning").contains("at most 4 simultaneous calls"), refused.toString());
            for (WsCall call : ringing) {
                assertEquals(200, call.cancel().status());
                assertEquals(487, call.awaitFinal(WAIT).status());
            }
            assertTrue(uas.await(WAIT).ok(), "the phone saw four calls, each cancelled: " + uas.logLines());
        }
    }

    @Test
    void anotherClientCannotEndSomeonesCallWithItsDialogIdentifiers() throws Exception {
        try (WsSipClient alice = registeredAlice();
                WsSipClient bob = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.of("bob",
                        "bob-demo-secret"), "sip");
                Sipp.Running uas = phone("uas-answer.xml").start()) {
            assertEquals(200, bob.register(600).status());
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            assertEquals(481, call.byeOver(bob).status(), "the BYE came on bob's connection, not alice's");
            assertEquals(1, api.calls().size(), "alice's call goes on: " + api.calls());
            assertTrue(uas.logLines().stream().noneMatch(l -> l.contains("BYE")), "the phone saw no BYE");
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void aBusyPhoneIsReportedAsBusy() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-busy.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            assertEquals(486, call.awaitFinal(WAIT).status());
        }
    }

    @Test
    void aRefusalReachesTheClientWithTheNetworksExplanation() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-refuse.xml").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            SipMessage refusal = call.awaitFinal(WAIT);
            call.ackRefusal(refusal);
            assertEquals(403, refusal.status());
            assertEquals("Calls Abroad Barred", refusal.reason(), "the core's reason phrase");
            assertEquals("399 as.ims.example.test \"International calls are not part of your subscription\"",
                    refusal.header("Warning"), "RFC 3261 §20.43: the warning is for the user");
            assertEquals("SIP;cause=403;text=\"barred by operator policy\"", refusal.header("Reason"));
            assertTrue(uas.await(WAIT).ok(), "the core got its ACK: " + uas.logLines());
        }
    }

    @Test
    void anImsPhoneCallsTheWebrtcClient() throws Exception {
        try (WsSipClient alice = registeredAlice()) {
            answerCalls(alice);
            Sipp.Result result = Sipp.scenario("uac-call.xml").remote(core.hostPort())
                    .key("ruri", "sip:alice@ims.example.test").key("from", "sip:phone@ims.example.test")
                    .args("-d", "1000", "-rtp_echo").run(Duration.ofSeconds(30));
            assertTrue(result.ok(), result.describe());
            SipMessage invite = alice.receivedRequests().stream().filter(m -> "INVITE".equals(m.method()))
                    .findFirst().orElseThrow();
            assertTrue(invite.body().contains("UDP/TLS/RTP/SAVPF") && invite.body().contains("a=fingerprint"),
                    "the browser is offered DTLS-SRTP:\n" + invite.body());
            assertFalse(invite.body().contains("a=crypto"), invite.body());
            assertTrue(result.logLines().stream().anyMatch(l -> l.contains("200 proto=RTP/AVP")),
                    "the phone got plain RTP/AVP: " + result.logLines());
            alice.awaitMessage("the phone's BYE, relayed", m -> m.isRequest() && "BYE".equals(m.method()), WAIT);
        }
    }

    @Test
    void closingTheWebSocketMidCallSendsByeToTheCore() throws Exception {
        try (Sipp.Running uas = phone("uas-answer.xml").start()) {
            WsSipClient alice = registeredAlice();
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            assertTrue(uas.awaitLogLine("ACK", WAIT).isPresent());
            alice.abort();
            assertTrue(uas.awaitLogLine("BYE", WAIT).isPresent(), "the gateway hung up toward the core");
            assertTrue(uas.await(WAIT).ok());
        }
    }

    @Test
    void emergencyCallsAreRefusedWith380AndNothingReachesTheCore() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = phone("uas-answer.xml").start()) {
            for (String target : List.of("sip:112@" + uas.hostPort(), "urn:service:sos.police",
                    "tel:911")) {
                WsCall call = new WsCall(alice, target).invite(WebrtcSdp.opusOffer());
                SipMessage refused = call.awaitFinal(WAIT);
                assertEquals(380, refused.status(), target);
                assertTrue(refused.header("Content-Type").contains("application/3gpp-ims+xml"), refused.toString());
                assertTrue(refused.body().contains("<type>emergency</type>"), refused.body());
                assertTrue(refused.header("Warning").contains("emergency"), refused.toString());
            }
            Thread.sleep(500); // give a wrongly forwarded INVITE time to arrive before checking it did not
            assertTrue(uas.logLines().stream().noneMatch(l -> l.contains("INVITE")), uas.logLines().toString());
            uas.stop();
        }
    }

    private static final String SUPPORTED_100REL = "Supported: 100rel";

    /** The 2xx awaited and ACKed, then the client hangs up and the phone's scenario must have completed. */
    private static void answeredThenHungUp(WsCall call, Sipp.Running uas) {
        connected(call, uas);
        hungUp(call, uas);
    }

    /** The 200 reaches the client, whose ACK reaches the phone (its scenario logs "ACK"). */
    private static void connected(WsCall call, Sipp.Running uas) {
        call.await(200, WAIT);
        call.ack();
        assertTrue(uas.awaitLogLine("ACK", WAIT).isPresent(), "the ACK reached the phone: " + uas.logLines());
    }

    /** The client's BYE is answered and the phone's scenario ends well. */
    private static void hungUp(WsCall call, Sipp.Running uas) {
        assertEquals(200, call.bye().status());
        assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
    }

    /** RFC 3262 §3: a reliable provisional response carries Require: 100rel and RSeq. */
    private static boolean isReliable(SipMessage provisional) {
        return provisional.header("RSeq") != null
                && provisional.headers("Require").stream().anyMatch(r -> r.contains("100rel"));
    }

    private void awaitNoCalls() throws Exception {
        api.awaitCalls(List::isEmpty, WAIT);
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipResponses;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.AdminApi;
import org.webims.gateway.it.support.PolicyAdmin;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * Service policy on calls (TS 22.228 §11.2: services limited by operator policy and subscription), set through
 * {@code /api/policy} while the gateway runs, enforced between a WebSocket client, Kamailio, SIPp phones and
 * rtpengine: each refusal is a 403 whose Warning names the layer that decided, and nothing reaches the core or the
 * media gateway; a stream that is not allowed is declined and the call goes on.
 */
class CallPolicyIT extends MediaTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ALICE = "sip:alice@ims.example.test";
    private final PolicyAdmin policy = new PolicyAdmin();

    @AfterEach
    void unrestricted() throws Exception {
        policy.clear();
    }


    private static Sipp phone() {
        return Sipp.scenario("uas-answer-log-offer.xml").args("-rtp_echo", "-d", "1000");
    }


    /** The call is refused with 403 and this Warning text; nothing was set up anywhere. */
    private void assertRefused(WsCall call, String warning) throws Exception {
        SipMessage refusal = call.awaitFinal(WAIT);
        assertEquals(403, refusal.status(), refusal.toString());
        assertTrue(refusal.header("Warning").endsWith("\"" + warning + "\""), refusal.header("Warning"));
        call.ackRefusal(refusal);
        api.awaitCalls(List::isEmpty, WAIT); // no call left
        assertTrue(rtpengine.sessions().isEmpty(), "rtpengine was never asked");
    }

    private static void connected(WsCall call) {
        call.await(200, WAIT);
        call.ack();
    }

    @Test
    void aBarredDestinationIsRefusedWithItsWarningAndNeverReachesTheCore() throws Exception {
        policy.putDefault("{\"barredDestinations\": [\"+1900\"]}");
        try (WsSipClient alice = aliceRegistered()) {
            WsCall call = new WsCall(alice, "sip:0019005550100@ims.example.test;user=phone")
                    .invite(WebrtcSdp.opusOffer());
            assertRefused(call, "destination +1900 barred by operator default");
            assertFalse(coreSaw("0019005550100"), "nothing reached Kamailio");
        }
    }

    @Test
    void refusalsByPolicyAreLoggedAtABoundedRate() throws Exception {
        policy.putDefault("{\"barredDestinations\": [\"+1900\"]}");
        java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("jboss.home"), "standalone", "log",
                "server.log");
        long before = Files.size(log);
        try (WsSipClient alice = aliceRegistered()) {
            for (int i = 0; i < 300; i++) {
                WsCall call = new WsCall(alice, "tel:+1900555" + i).invite(WebrtcSdp.opusOffer());
                SipMessage refusal = call.awaitFinal(WAIT);
                assertEquals(403, refusal.status());
                call.ackRefusal(refusal);
            }
        }
        long lines;
        try (var file = new java.io.RandomAccessFile(log.toFile(), "r")) {
            byte[] added = new byte[(int) Math.max(0, file.length() - before)];
            file.seek(Math.min(before, file.length()));
            file.readFully(added);
            lines = new String(added, StandardCharsets.UTF_8).lines().filter(l -> l.contains("1900")).count();
        }
        assertTrue(lines <= 30, lines + " log lines for 300 refused calls: a client cannot flood the log");
    }

    @Test
    void aPolicyChangedThroughTheApiAppliesToTheNextCallWithoutARestart() throws Exception {
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall first = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            connected(first);
            assertEquals(200, first.bye().status());

            policy.putSubscriber(ALICE, "{\"services\": [\"video\", \"messaging\"]}");
            WsCall second = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            assertRefused(second, "audio not allowed by subscriber " + ALICE);
            assertTrue(uas.await(WAIT).ok(), "the phone saw only the first call: " + uas.logLines());
        }
    }

    @Test
    void theSimultaneousCallLimitRefusesTheNextCallUntilOneEnds() throws Exception {
        policy.putSubscriber(ALICE, "{\"maxCalls\": 1}");
        try (WsSipClient alice = aliceRegistered();
                Sipp.Running uas = phone().calls(2).start()) {
            WsCall first = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            connected(first);
            WsCall second = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            SipMessage refusal = second.awaitFinal(WAIT);
            assertEquals(403, refusal.status());
            assertTrue(refusal.header("Warning").contains("at most 1 simultaneous calls, set by subscriber " + ALICE),
                    refusal.header("Warning"));
            second.ackRefusal(refusal);
            api.awaitCalls(calls -> calls.size() == 1, WAIT); // the refused one gone, the first one up
            assertEquals(200, first.bye().status());

            WsCall third = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            connected(third);
            assertEquals(200, third.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void aVideoCallWithoutVideoInTheSubscriptionGoesOnWithAudioAndNoVideoTowardTheCore() throws Exception {
        policy.putSubscriber(ALICE, "{\"services\": [\"audio\", \"messaging\"]}");
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.audioVideoOffer());
            SipMessage ok = call.await(200, WAIT);
            call.ack();
            assertTrue(ok.body().contains("m=video 0 "), "video declined toward the client:\n" + ok.body());
            assertTrue(ok.body().matches("(?s).*m=audio [1-9][0-9]* .*"), "audio goes on:\n" + ok.body());
            assertEquals("399 127.0.0.1 \"video not allowed by subscriber " + ALICE + "\"", ok.header("Warning"));
            assertTrue(uas.awaitLogLine("INVITE video=0", WAIT).isPresent(),
                    "the phone's INVITE has no active video stream: " + uas.logLines());
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void noVideoFromAnAccessNetworkWithoutQos() throws Exception {
        policy.putNetwork("best-effort-lan", "{\"cidrs\": [\"127.0.0.0/8\"], \"qos\": false, "
                + "\"services\": [\"audio\", \"messaging\"]}");
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.audioVideoOffer());
            SipMessage ok = call.await(200, WAIT);
            call.ack();
            assertTrue(ok.body().contains("m=video 0 "), ok.body());
            assertEquals("399 127.0.0.1 \"video not allowed by access network best-effort-lan\"", ok.header("Warning"));
            assertTrue(uas.awaitLogLine("INVITE video=0", WAIT).isPresent(), uas.logLines().toString());
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void aReinviteAddingVideoThatIsNotAllowedGetsItDeclinedAndTheCallGoesOn() throws Exception {
        policy.putSubscriber(ALICE, "{\"services\": [\"audio\"]}");
        try (WsSipClient alice = aliceRegistered();
                Sipp.Running uas = Sipp.scenario("uas-reoffer.xml").args("-rtp_echo").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            connected(call);
            SipMessage reanswer = call.reinvite(WebrtcSdp.audioVideoOffer(), WAIT);
            assertEquals(200, reanswer.status(), reanswer.toString());
            assertTrue(reanswer.body().contains("m=video 0 "), "video declined:\n" + reanswer.body());
            String reoffer = uas.awaitLogLine("REOFFER", WAIT).orElseThrow();
            assertTrue(reoffer.contains("video=0 "), "the phone's re-INVITE has no active video: " + reoffer);
            assertEquals("CONFIRMED", api.calls().get(0).getString("state"), "the call goes on");
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void theLongestCallIsReleasedOnBothLegsWithAReason() throws Exception {
        policy.putSubscriber(ALICE, "{\"maxCallSeconds\": 2}");
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            connected(call);
            SipMessage bye = alice.awaitMessage("the gateway's BYE", m -> m.isRequest() && "BYE".equals(m.method()),
                    WAIT);
            String reason = "SIP;cause=403;text=\"longest call of 2 s reached (set by subscriber " + ALICE + ")\"";
            assertEquals(reason, bye.header("Reason"));
            assertTrue(uas.awaitLogLine(reason, WAIT).isPresent(), "the phone got the same Reason: " + uas.logLines());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
            api.awaitCalls(List::isEmpty, WAIT);
        }
    }

    @Test
    void anEndedCallTakesItsDurationLimitWithIt() throws Exception {
        policy.putSubscriber(ALICE, "{\"maxCallSeconds\": 3600}");
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            int before = api.sipTimers();
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            connected(call);
            AdminApi.await(api::sipTimers, n -> n > before, WAIT,
                    "the answered call's one-hour limit is armed (" + before + " before)");
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
            // cancelled, it leaves the scheduler with the call it holds, not an hour later (CallTimers)
            AdminApi.await(api::sipTimers, n -> n <= before, WAIT,
                    "the ended call left no timer (" + before + " before)");
        }
    }

    @Test
    void aSubscriberBarredByTheOperatorLosesTheCallInProgressAndCannotCallAgain() throws Exception {
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            connected(call);
            policy.putSubscriber(ALICE, "{\"barred\": true}");
            SipMessage bye = alice.awaitMessage("the gateway's BYE", m -> m.isRequest() && "BYE".equals(m.method()),
                    WAIT);
            assertTrue(bye.header("Reason").contains("subscriber barred by subscriber " + ALICE), bye.toString());
            assertTrue(uas.awaitLogLine("BYE reason=", WAIT).isPresent(), uas.logLines().toString());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void terminatingVideoIsDeclinedForAClientWhosePolicyHasNoVideo() throws Exception {
        policy.putSubscriber(ALICE, "{\"services\": [\"audio\"]}");
        try (WsSipClient alice = aliceRegistered()) {
            alice.setRequestHandler(request -> switch (request.method()) {
                case "INVITE" -> SipResponses.responseTo(request, 200, "OK",
                        List.of("Contact: <" + alice.requestFactory().contactUri() + ">"), "application/sdp",
                        WebrtcSdp.answerDecliningVideo(request.body()));
                case "BYE" -> SipResponses.responseTo(request, 200, "OK");
                default -> null;
            });
            Sipp.Result result = Sipp.scenario("uac-call-video.xml").remote(core.hostPort())
                    .key("ruri", ALICE).key("from", "sip:phone@ims.example.test")
                    .args("-d", "1000", "-rtp_echo").run(Duration.ofSeconds(30));
            assertTrue(result.ok(), result.describe());
            SipMessage invite = alice.receivedRequests().stream().filter(m -> "INVITE".equals(m.method()))
                    .findFirst().orElseThrow();
            assertTrue(invite.body().contains("m=video 0 "), "the client is offered no video:\n" + invite.body());
            assertTrue(result.logLines().stream().anyMatch(l -> l.contains("200 video=0 ")
                    && l.contains("video not allowed by subscriber " + ALICE)),
                    "the answer the core sees declines video, saying why: " + result.logLines());
        }
    }

    @Test
    void aTerminatingCallToAClientWithoutAudioIsRefused() throws Exception {
        policy.putSubscriber(ALICE, "{\"services\": [\"messaging\"]}");
        try (WsSipClient alice = aliceRegistered()) {
            Sipp.Result result = Sipp.scenario("uac-call-refused.xml").remote(core.hostPort())
                    .key("ruri", ALICE).key("from", "sip:phone@ims.example.test").run(Duration.ofSeconds(30));
            assertTrue(result.ok(), result.describe());
            assertTrue(result.logLines().stream().anyMatch(l -> l.contains("audio not allowed by subscriber " + ALICE)),
                    result.logLines().toString());
            assertTrue(alice.receivedRequests().stream().noneMatch(m -> "INVITE".equals(m.method())),
                    "nothing reached the client");
            assertTrue(rtpengine.sessions().isEmpty());
        }
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.testpeer.AccountingLine;
import org.webims.gateway.diameter.testpeer.ErlangPcrf;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.PolicyAdmin;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * QoS over Rx (issue 13 point 2, TS 29.214) against a real PCRF, an Erlang/OTP diameter peer with an Rx dictionary
 * that decodes every AAR and STR and can abort sessions or report the bearer lost: a client on an access network
 * with QoS (127.0.0.0/8 set to qos in the policy store) has its call's media authorised before the call goes on
 * (the flows of its offer), updated with the answer (the gateway's side, as rtpengine answered) and ended with an STR;
 * the PCRF's ASR or a RAR with loss of bearer releases the call on both legs; with QoS required a PCRF that is down
 * or refuses means a clean refusal and nothing at the core or rtpengine; a network without QoS causes no Rx traffic.
 * The test server's PCRF is 127.0.0.1:3974, mode required, AAA awaited 1 s.
 */
class QosIT extends MediaTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ALICE = "sip:alice@ims.example.test";
    /** WebrtcSdp.opusOffer(): no default address (0.0.0.0, port 9), one host candidate, rtcp-mux. */
    private static final String ALICE_MEDIA = "127.0.0.1 40000";
    private static ErlangPcrf pcrf;
    private final PolicyAdmin policy = new PolicyAdmin();
    /** How many requests the PCRF had taken when the test began: a test reads only its own. */
    private int seen;

    @BeforeAll
    static void startPcrf() throws Exception {
        pcrf = ErlangPcrf.start(TestBed.PCRF_PORT);
    }

    @AfterAll
    static void stopPcrf() throws Exception {
        if (pcrf != null) {
            pcrf.close();
        }
    }

    @BeforeEach
    void clientOnAQosNetwork() throws Exception {
        if (!pcrf.alive()) {
            pcrf.restart();
        }
        pcrf.mode(ErlangPcrf.Mode.ANSWERING);
        policy.putNetwork("lte", "{\"cidrs\": [\"127.0.0.0/8\"], \"qos\": true}");
        awaitPcrf(state -> state.equals("OKAY"));
        seen = pcrf.requests().size();
    }

    @AfterEach
    void noPolicy() throws Exception {
        policy.clear();
    }

    private static Sipp phone() {
        return Sipp.scenario("uas-answer-log-offer.xml").args("-rtp_echo", "-d", "1000");
    }

    @Test
    void theCallsMediaAreAuthorisedBeforeItGoesOnUpdatedWithTheAnswerAndReleasedWithIt() throws Exception {
        String session;
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            SipMessage ok = call.await(200, WAIT);
            call.ack();
            String gateway = mediaAddress(ok.body());
            List<AccountingLine> rx = requests(2);
            AccountingLine initial = rx.get(0);
            assertEquals("AAR", initial.get("command"), rx.toString());
            assertEquals("0", initial.get("type"), "INITIAL_REQUEST: " + initial);
            assertEquals(ALICE, initial.get("user"));
            assertEquals("127.0.0.1", initial.get("framed"), "the client's address binds the session");
            assertEquals("2,4", initial.get("actions"), "loss and release of bearer subscribed");
            assertEquals("2001", initial.get("result"));
            assertTrue(initial.get("m1").startsWith("1;audio;status=2;"), initial.toString());
            assertEquals("permit out 17 from any to " + ALICE_MEDIA + "|permit in 17 from " + ALICE_MEDIA
                    + " to any", initial.get("f1"), "the offer's flows, the gateway's side not known yet");
            assertTrue(coreSaw("icid-value=" + initial.get("icid")) || coreSaw(initial.get("icid")),
                    "the AF-Charging-Identifier is the ICID the core got: " + initial.get("icid"));
            AccountingLine update = rx.get(1);
            session = initial.session();
            assertEquals("AAR", update.get("command"));
            assertEquals(session, update.session());
            assertEquals("1", update.get("type"), "UPDATE_REQUEST: " + update);
            assertEquals("permit out 17 from " + gateway + " to " + ALICE_MEDIA + "|permit in 17 from "
                    + ALICE_MEDIA + " to " + gateway, update.get("f1"),
                    "the flows between alice and the eIMS-AGW as answered: " + update);
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
        AccountingLine str = requests(3).get(2);
        assertEquals("STR", str.get("command"), str.toString());
        assertEquals(session, str.session());
        assertEquals("2001", str.get("result"));
    }

    @Test
    void aHoldAndTheResumeAreToldToThePcrfAsTheFlowsDirection() throws Exception {
        try (java.net.DatagramSocket sink = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
                WsSipClient alice = aliceRegistered(); Sipp.Running uas = Sipp.scenario("uas-held.xml")
                        .args("-key", "rtpport", Integer.toString(sink.getLocalPort())).start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            requests(2);
            assertEquals(200, call.reinvite(WebrtcSdp.opusOffer().replace("a=sendrecv", "a=sendonly"), WAIT)
                    .status());
            AccountingLine held = requests(3).get(2);
            assertEquals("1", held.get("type"), held.toString());
            assertTrue(held.get("m1").contains(";status=0;"), "ENABLED-UPLINK while alice holds: " + held);
            assertEquals(200, call.reinvite(WebrtcSdp.opusOffer(), WAIT).status());
            AccountingLine resumed = requests(4).get(3);
            assertTrue(resumed.get("m1").contains(";status=2;"), "ENABLED again after the resume: " + resumed);
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void thePcrfAbortingTheSessionReleasesTheCallOnBothLegs() throws Exception {
        releasedByThePcrf(() -> pcrf.abortSessions(), "ASA");
    }

    @Test
    void aLostBearerReleasesTheCallOnBothLegs() throws Exception {
        releasedByThePcrf(() -> pcrf.reportLossOfBearer(), "RAA");
    }

    private void releasedByThePcrf(PcrfAction action, String answer) throws Exception {
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            String session = requests(2).get(0).session();
            action.run();
            SipMessage bye = alice.awaitMessage("the gateway's BYE", m -> m.isRequest() && "BYE".equals(m.method()),
                    WAIT);
            assertEquals("RELEASE_CAUSE;cause=3;text=\"Media bearer loss\"", bye.header("Reason"),
                    "TS 24.229 7.2A.18");
            assertTrue(uas.awaitLogLine("RELEASE_CAUSE;cause=3", WAIT).isPresent(),
                    "the phone got a BYE with the Reason too: " + uas.logLines());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
            List<AccountingLine> rx = requests(4);
            assertEquals(answer, rx.get(2).get("command"), rx.toString());
            assertEquals("2001", rx.get(2).get("result"), "the gateway answered the PCRF: " + rx);
            assertEquals("STR", rx.get(3).get("command"), "then the session ends with the call: " + rx);
            assertEquals(session, rx.get(3).session());
        }
    }

    @Test
    void requiredQosWithThePcrfDownRefusesTheCallCleanly() throws Exception {
        pcrf.kill();
        awaitPcrf(state -> !state.equals("OKAY"));
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            String target = "sip:uas@" + uas.hostPort();
            WsCall call = new WsCall(alice, target).invite(WebrtcSdp.opusOffer());
            SipMessage refused = call.awaitFinal(WAIT);
            assertEquals(503, refused.status(), refused.toString());
            assertTrue(refused.header("Warning").contains("QoS required and the PCRF is unreachable"),
                    refused.toString());
            call.ackRefusal(refused);
            assertFalse(coreSaw("IN INVITE " + target), "nothing reached Kamailio");
            assertTrue(rtpengine.sessions().isEmpty(), "no media session was opened");
        }
    }

    @Test
    void requiredQosThatThePcrfDoesNotAuthoriseIsRefusedWith488() throws Exception {
        pcrf.mode(ErlangPcrf.Mode.REFUSE);
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            String target = "sip:uas@" + uas.hostPort();
            SipMessage refused = new WsCall(alice, target).invite(WebrtcSdp.opusOffer()).awaitFinal(WAIT);
            assertEquals(488, refused.status(), refused.toString());
            assertTrue(refused.header("Warning").contains("not authorised by the PCRF (5063)"), refused.toString());
            assertFalse(coreSaw("IN INVITE " + target), "nothing reached Kamailio");
        }
        List<AccountingLine> rx = requests(1);
        Thread.sleep(300);
        assertEquals(1, pcrf.requests().size() - seen, "no STR for a session never opened: " + rx);
    }

    @Test
    void aCallToTheClientIsAuthorisedWithOurOfferThenUpdatedWithItsAnswer() throws Exception {
        try (WsSipClient alice = aliceRegistered()) {
            answerCalls(alice);
            Sipp.Result result = Sipp.scenario("uac-call.xml").remote(core.hostPort())
                    .key("ruri", ALICE).key("from", "sip:phone@ims.example.test")
                    .args("-d", "1000", "-rtp_echo").run(Duration.ofSeconds(30));
            assertTrue(result.ok(), result.describe());
            SipMessage invite = alice.receivedRequests().stream().filter(m -> "INVITE".equals(m.method()))
                    .findFirst().orElseThrow();
            String gateway = mediaAddress(invite.body());
            List<AccountingLine> rx = requests(3);
            assertEquals("permit out 17 from " + gateway + " to any|permit in 17 from any to " + gateway,
                    rx.get(0).get("f1"), "our offer to alice first: " + rx);
            assertEquals(ALICE, rx.get(0).get("user"), "the called subscriber's session");
            assertEquals("permit out 17 from " + gateway + " to 127.0.0.1 40002|permit in 17 from 127.0.0.1 40002 to "
                    + gateway, rx.get(1).get("f1"), "then with alice's answer (its candidate): " + rx);
            assertEquals("STR", rx.get(2).get("command"), rx.toString());
        }
    }

    @Test
    void aClientOnANetworkWithoutQosCausesNoRxTraffic() throws Exception {
        policy.putNetwork("lte", "{\"cidrs\": [\"127.0.0.0/8\"], \"qos\": false}");
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
        Thread.sleep(500);
        assertEquals(List.of(), pcrf.requests().subList(seen, pcrf.requests().size()), "no Rx request at all");
    }

    /** The c= address and the audio port of an SDP body, "address port" as a flow description has them. */
    private static String mediaAddress(String sdp) {
        Matcher c = Pattern.compile("(?m)^c=IN IP4 ([0-9.]+)").matcher(sdp);
        Matcher m = Pattern.compile("(?m)^m=audio ([0-9]+) ").matcher(sdp);
        assertTrue(c.find() && m.find(), sdp);
        return c.group(1) + " " + m.group(1);
    }

    /** This test's first {@code count} requests at the PCRF, once it has them. */
    private List<AccountingLine> requests(int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<AccountingLine> all = pcrf.requests();
        while (all.size() - seen < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            all = pcrf.requests();
        }
        List<AccountingLine> mine = all.subList(seen, all.size());
        assertTrue(mine.size() >= count, "the PCRF got " + mine);
        return mine.subList(0, count);
    }

    /** Waits until the PCRF's watchdog state (GET /api/qos/status) is as wanted. */
    private void awaitPcrf(Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            var response = api.get("qos/status", true);
            body = response.body();
            if (response.statusCode() == 200 && done.test(jakarta.json.Json.createReader(new java.io.StringReader(
                    body)).readObject().getJsonArray("pcrfs").getJsonObject(0).getString("state"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the PCRF never got there: " + body);
    }

    @FunctionalInterface
    private interface PcrfAction {
        void run() throws Exception;
    }
}

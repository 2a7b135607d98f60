package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.testpeer.AccountingLine;
import org.webims.gateway.diameter.testpeer.ErlangOcs;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * Online charging (issue 12 point 4, RFC 4006 over Ro) against two real OCSs, Erlang/OTP diameter peers keeping
 * balances in seconds: a subscriber with 10 s of credit is cut after about 10 s of conversation, one with none gets
 * 402 and nothing reaches the core, every ending sends CCR-TERMINATION with the used time (a CANCEL too), a MESSAGE is
 * debited, a terminating call is charged to the called subscriber; with the OCS silent each failure handling of
 * RFC 4006 §5.7 (set by the OCS in its CCA) does what it says, and the secondary OCS takes over a primary that is
 * down. The test server's Ro peers are 127.0.0.1:3972 and :3973, Tx 1 s, its own failure handling CONTINUE.
 */
class OnlineChargingIT extends MediaTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ALICE = "sip:alice@ims.example.test";
    private static final int INITIAL = 1;
    private static final int UPDATE = 2;
    private static final int TERMINATION = 3;
    private static final int EVENT = 4;
    private static ErlangOcs primary;
    private static ErlangOcs secondary;
    /** How many requests each OCS had taken when the test began: a test reads only its own. */
    private int primarySeen;
    private int secondarySeen;

    @BeforeAll
    static void startOcss() throws Exception {
        primary = ErlangOcs.start(TestBed.OCS_PORT);
        secondary = ErlangOcs.start(TestBed.OCS_SECONDARY_PORT);
    }

    @AfterAll
    static void stopOcss() throws Exception {
        if (primary != null) {
            primary.close();
        }
        if (secondary != null) {
            secondary.close();
        }
    }

    @BeforeEach
    void freshAccounts() throws Exception {
        for (ErlangOcs ocs : List.of(primary, secondary)) {
            if (!ocs.alive()) {
                ocs.restart();
            }
            ocs.mode(ErlangOcs.Mode.ANSWERING).grant(30).failureHandling(-1).refusesInsideMscc(false)
                    .balance(ALICE, 1000);
        }
        awaitOcsUp();
        primarySeen = primary.requests().size();
        secondarySeen = secondary.requests().size();
    }

    @AfterEach
    void ocssAnswering() throws Exception {
        primary.mode(ErlangOcs.Mode.ANSWERING);
        secondary.mode(ErlangOcs.Mode.ANSWERING);
    }


    private static Sipp phone() {
        return Sipp.scenario("uas-answer-log-offer.xml").args("-rtp_echo", "-d", "1000");
    }

    @Test
    void aSubscriberWithTenSecondsOfCreditIsCutAfterAboutTenSeconds() throws Exception {
        primary.balance(ALICE, 10);
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            long answered = System.nanoTime();
            SipMessage bye = alice.awaitMessage("the gateway's BYE when the credit is used",
                    m -> m.isRequest() && "BYE".equals(m.method()), Duration.ofSeconds(20));
            long seconds = Duration.ofNanos(System.nanoTime() - answered).toSeconds();
            assertTrue(seconds >= 9 && seconds <= 12, "cut after about 10 s of conversation: " + seconds + " s");
            assertTrue(bye.header("Reason").startsWith("SIP;cause=402"), bye.toString());
            assertTrue(uas.awaitLogLine("BYE reason=", WAIT).isPresent(), "the phone got a BYE: " + uas.logLines());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
        List<AccountingLine> requests = creditSession(primary, primarySeen, 2);
        assertEquals(INITIAL, requests.get(0).type());
        assertEquals("10", requests.get(0).get("granted"));
        assertEquals("true", requests.get(0).get("final"), "Final-Unit-Indication with the last 10 s");
        AccountingLine termination = requests.get(1);
        assertEquals(TERMINATION, termination.type());
        int used = Integer.parseInt(termination.get("used"));
        assertTrue(used >= 9 && used <= 11, "CCR-TERMINATION with the used time: " + termination);
    }

    @Test
    void aSubscriberWithNoCreditGets402AndNothingReachesTheCore() throws Exception {
        primary.balance(ALICE, 0);
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            String target = "sip:uas@" + uas.hostPort();
            SipMessage refused = new WsCall(alice, target).invite(WebrtcSdp.opusOffer()).awaitFinal(WAIT);
            assertEquals(402, refused.status(), refused.toString());
            assertTrue(refused.header("Warning").contains("credit limit reached"), refused.toString());
            assertFalse(coreSaw("IN INVITE " + target), "nothing reached Kamailio");
            assertTrue(rtpengine.sessions().isEmpty(), "no media session was opened");
        }
        List<AccountingLine> refused = creditSession(primary, primarySeen, 1);
        Thread.sleep(500);
        assertEquals(List.of(INITIAL), creditSession(primary, primarySeen, 1).stream().map(AccountingLine::type)
                .toList(), "a refused CCR-INITIAL opens no credit session: " + refused);
    }

    @Test
    void aRefusalInsideTheMsccGets402AndClosesTheCreditSessionTheOcsOpened() throws Exception {
        primary.refusesInsideMscc(true).balance(ALICE, 0);
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            String target = "sip:uas@" + uas.hostPort();
            SipMessage refused = new WsCall(alice, target).invite(WebrtcSdp.opusOffer()).awaitFinal(WAIT);
            assertEquals(402, refused.status(), refused.toString());
            assertFalse(coreSaw("IN INVITE " + target), "nothing reached Kamailio");
        }
        List<AccountingLine> session = creditSession(primary, primarySeen, 2);
        assertEquals("2001", session.get(0).get("top"), "the OCS kept the session open: " + session);
        assertEquals(List.of(INITIAL, TERMINATION), session.stream().map(AccountingLine::type).toList());
        assertEquals("2001", session.get(1).get("result"), "the OCS knew the session it closed: " + session);
    }

    @Test
    void aCancelBeforeTheAnswerEndsTheCreditSessionWithNothingUsed() throws Exception {
        try (WsSipClient alice = aliceRegistered();
                Sipp.Running uas = Sipp.scenario("uas-ring-cancel.xml").args("-d", "1000").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(180, WAIT);
            assertEquals(200, call.cancel().status());
            assertEquals(487, call.awaitFinal(WAIT).status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
        List<AccountingLine> requests = creditSession(primary, primarySeen, 2);
        assertEquals(List.of(INITIAL, TERMINATION), requests.stream().map(AccountingLine::type).toList());
        assertEquals("0", requests.get(1).get("used"));
    }

    @Test
    void aMessageIsDebitedBeforeItIsRelayedAndRefusedWithoutCredit() throws Exception {
        primary.balance(ALICE, 1);
        try (WsSipClient alice = aliceRegistered();
                WsSipClient bob = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN, SipClientIdentity.bob(),
                        "sip")) {
            assertEquals(200, bob.register(600).status());
            assertEquals(200, alice.sendMessage("sip:bob@ims.example.test", "one").status());
            SipMessage refused = alice.sendMessage("sip:bob@ims.example.test", "two");
            assertEquals(402, refused.status(), refused.toString());
            assertTrue(refused.header("Warning").contains("credit limit reached"), refused.toString());
            assertEquals(List.of("one"), bob.receivedRequests().stream().filter(m -> "MESSAGE".equals(m.method()))
                    .map(SipMessage::body).toList(), "only the paid MESSAGE was relayed");
        }
        List<AccountingLine> events = awaitRequests(primary, primarySeen, r -> r.get("user").equals(ALICE)
                && r.type() == EVENT, 2);
        assertTrue(events.stream().allMatch(e -> e.type() == EVENT && e.get("action").equals("0")),
                "EVENT_REQUEST with DIRECT_DEBITING: " + events);
        assertEquals(List.of("2001", "4012"), events.stream().map(e -> e.get("result")).toList());
    }

    @Test
    void aTerminatingCallIsChargedToTheCalledSubscriber() throws Exception {
        primary.balance(ALICE, 0);
        try (WsSipClient alice = aliceRegistered()) {
            Sipp.Result result = Sipp.scenario("uac-call-unpaid.xml").remote(core.hostPort())
                    .key("ruri", ALICE).key("from", "sip:phone@ims.example.test").run(Duration.ofSeconds(30));
            assertTrue(result.ok(), result.describe());
            assertTrue(result.logLines().stream().anyMatch(l -> l.contains("credit limit reached")),
                    result.logLines().toString());
            assertTrue(alice.receivedRequests().stream().noneMatch(m -> "INVITE".equals(m.method())),
                    "nothing reached the client");
        }
        AccountingLine initial = creditSession(primary, primarySeen, 1).get(0);
        assertEquals("4012", initial.get("result"));
    }

    @Test
    void theOcsSilentMidCallWithTerminateReleasesTheCall() throws Exception {
        primary.grant(3).failureHandling(0); // TERMINATE, in the CCA: it overrides the gateway's CONTINUE
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            primary.mode(ErlangOcs.Mode.SILENT);
            secondary.mode(ErlangOcs.Mode.SILENT);
            SipMessage bye = alice.awaitMessage("the gateway's BYE when the update is not answered",
                    m -> m.isRequest() && "BYE".equals(m.method()), Duration.ofSeconds(10));
            assertTrue(bye.header("Reason").contains("online charging system unreachable"), bye.toString());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
        assertTrue(secondary.requests().stream().skip(secondarySeen).noneMatch(r -> r.type() == UPDATE),
                "TERMINATE: no failover of the update: " + secondary.requests());
    }

    @Test
    void anEndedCallLeavesNoChargingTimerBehind() throws Exception {
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            // the credit's update timer (30 s granted) and offline charging's interim timer (mode both)
            api.awaitCharging(status -> status.getInt("timers") >= 2, WAIT);
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
        // a cancelled timer leaves the scheduler with the call it holds, not 30 s later (CallTimers)
        api.awaitCharging(status -> status.getInt("timers") == 0, WAIT);
    }

    @Test
    void theOcsSilentMidCallWithRetryAndTerminateFailsOverAndTheCallGoesOn() throws Exception {
        primary.grant(3).failureHandling(2); // RETRY_AND_TERMINATE
        secondary.grant(30);
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            primary.mode(ErlangOcs.Mode.SILENT);
            AccountingLine update = awaitRequests(secondary, secondarySeen, r -> r.type() == UPDATE, 1).get(0);
            assertTrue(update.retransmitted(), "the update reached the alternative OCS with the T flag: " + update);
            Thread.sleep(1500);
            assertTrue(alice.receivedRequests().stream().noneMatch(m -> "BYE".equals(m.method())),
                    "the secondary granted more: the call goes on");
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void theOcsSilentMidCallWithContinueLetsTheCallGoOn() throws Exception {
        primary.grant(3).failureHandling(1); // CONTINUE
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            primary.mode(ErlangOcs.Mode.SILENT);
            secondary.mode(ErlangOcs.Mode.SILENT);
            awaitRequests(secondary, secondarySeen, r -> r.type() == UPDATE, 1); // failed over, and silent too
            Thread.sleep(2500);
            assertTrue(alice.receivedRequests().stream().noneMatch(m -> "BYE".equals(m.method())),
                    "CONTINUE: the call goes on without credit control");
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void aSilentOcsAtTheStartWithContinueLetsTheCallThroughAfterTx() throws Exception {
        // the same call with the OCS answering first: what the setup itself takes on this machine now (a loaded one
        // took most of a Tx for it, and the bound of 2 Tx alone then failed a gateway that decided at Tx)
        long setup = setupMillis();
        creditSession(primary, primarySeen, 2); // charged, its TERMINATION answered before the OCSs fall silent
        primary.mode(ErlangOcs.Mode.SILENT);
        secondary.mode(ErlangOcs.Mode.SILENT);
        long waited = setupMillis();
        primary.mode(ErlangOcs.Mode.ANSWERING);
        secondary.mode(ErlangOcs.Mode.ANSWERING);
        awaitOcsUp();
        // a second baseline after it, the smaller counts: one slow by chance must not widen the bound
        setup = Math.min(setup, setupMillis());
        // RFC 4006 §5.7: CONTINUE lets the call through when Tx expires (Tx + the setup), not after the failover's Tx
        // as well (2 Tx + the setup): the bound lies between the two, and never under 2 Tx
        long bound = Math.max(2L * TestBed.TX_MS, 3L * TestBed.TX_MS / 2 + setup);
        assertTrue(waited >= TestBed.TX_MS && waited < bound,
                "decided at Tx: " + waited + " ms (the same setup with an answering OCS: " + setup + " ms)");
    }

    /** Sets up a call from alice to a phone and ends it; returns the time from the INVITE to its 200. */
    private static long setupMillis() throws Exception {
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            long asked = System.nanoTime();
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            long waited = Duration.ofNanos(System.nanoTime() - asked).toMillis();
            call.ack();
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
            return waited;
        }
    }

    @Test
    void theSecondaryOcsTakesOverWhenThePrimaryIsDownAndKeepsTheSessionWhenItIsBack() throws Exception {
        primary.kill();
        awaitPeerDown();
        secondary.balance(ALICE, 100);
        try (WsSipClient alice = aliceRegistered(); Sipp.Running uas = phone().start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            primary.restart();
            awaitOcsUp(); // RFC 6733 §6.1: the session's CCR-TERMINATION still goes where the session lives
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
        AccountingLine initial = awaitRequests(secondary, secondarySeen, r -> r.type() == INITIAL
                && r.get("user").equals(ALICE), 1).get(0);
        assertEquals("2001", initial.get("result"));
        List<AccountingLine> session = awaitRequests(secondary, secondarySeen,
                r -> r.session().equals(initial.session()), 2); // an earlier test's late requests may come too
        assertEquals(List.of(INITIAL, TERMINATION), session.stream().map(AccountingLine::type).toList());
        assertEquals("2001", session.get(1).get("result"), session.toString());
        assertTrue(primary.requests().stream().noneMatch(r -> r.session().equals(initial.session())),
                "the primary, back, never saw the secondary's session: " + primary.requests());
    }

    // ---------------------------------------------------------------------------------------------------- helpers


    /**
     * The requests of the credit session of alice's first CCR-INITIAL this test (an earlier test's late CCR-TERMINATION
     * may arrive meanwhile), once there are {@code count}.
     */
    private static List<AccountingLine> creditSession(ErlangOcs ocs, int skip, int count) throws Exception {
        AccountingLine initial = awaitRequests(ocs, skip, r -> r.type() == INITIAL && r.get("user").equals(ALICE), 1)
                .get(0);
        return awaitRequests(ocs, skip, r -> r.session().equals(initial.session()), count);
    }

    private static List<AccountingLine> awaitRequests(ErlangOcs ocs, int skip, Predicate<AccountingLine> which,
            int count) throws Exception {
        return ocs.awaitRequests(skip, which, count, Duration.ofSeconds(15));
    }

    private void awaitOcsUp() throws Exception {
        awaitPeers(states -> "OKAY".equals(states.get(TestBed.OCS_PORT))
                && "OKAY".equals(states.get(TestBed.OCS_SECONDARY_PORT)));
    }

    private void awaitPeerDown() throws Exception {
        awaitPeers(states -> !"OKAY".equals(states.get(TestBed.OCS_PORT)));
    }

    /** Waits until the Ro peers' watchdog states (by port, from GET /api/charging/status) are as wanted. */
    private void awaitPeers(Predicate<java.util.Map<Integer, String>> done) throws Exception {
        api.awaitCharging(status -> {
            java.util.Map<Integer, String> states = new java.util.HashMap<>();
            status.getJsonArray("roPeers").getValuesAs(jakarta.json.JsonObject.class).forEach(p -> states.put(
                    Integer.valueOf(p.getString("peer").replaceAll(".*:", "")), p.getString("state")));
            return done.test(states);
        }, Duration.ofSeconds(30));
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.testpeer.AccountingLine;
import org.webims.gateway.diameter.testpeer.ErlangOcs;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipResponses;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.GatewayDeployment;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * Overload control toward a slow Diameter peer (issue 14, RFC 7339's principle; RFC 4006 §5.7 with the failure
 * handling TERMINATE): the OCS holds every CCR (mode slow: watchdogs still answered) while new calls arrive. The
 * gateway keeps at most 4 requests in flight per peer (this deployment's bound), of which new sessions may take 3: their
 * CCR-INITIALs wait at the OCS, the new calls beyond get 503 with Retry-After and the Warning "online charging
 * saturated" at once (a call from the core a 500 with Retry-After, not a 503; a MESSAGE from the core, never debited,
 * is delivered), while the call up takes a re-INVITE, alice refreshes her registration, and the call ends
 * normally with its CCR-TERMINATION taking the room kept for calls in progress: once the OCS answers, the OCS has it.
 */
class DiameterOverloadIT extends MediaPeersBase {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ALICE = "sip:alice@ims.example.test";
    private static final int INITIAL = 1;
    private static final int TERMINATION = 3;
    private static ErlangOcs ocs;

    @Deployment(testable = false)
    public static EnterpriseArchive deployment() {
        // Tx long enough that the held CCR-INITIALs stay in flight while the test looks (no timing is asserted)
        return GatewayDeployment.ear(Map.of("gateway.charging.mode", "online",
                "gateway.charging.ro.peers", "127.0.0.1:" + TestBed.OCS_PORT,
                "gateway.charging.ro.failure-handling", "TERMINATE", "gateway.charging.ro.tx-ms", "10000",
                "gateway.diameter.max-in-flight", "4", "gateway.calls.max-per-connection", "10"));
    }

    @BeforeAll
    static void startOcs() throws Exception {
        ocs = ErlangOcs.start(TestBed.OCS_PORT);
        ocs.balance(ALICE, 1000);
    }

    @AfterAll
    static void stopOcs() throws Exception {
        if (ocs != null) {
            ocs.close();
        }
    }

    @Test
    void newCallsBeyondWhatTheSlowOcsCanTakeAreRefusedAtOnceAndTheCallUpEndsWithItsRecord() throws Exception {
        api.awaitCharging(status -> status.getJsonArray("roPeers").getJsonObject(0).getString("state")
                .equals("OKAY"), WAIT);
        int seen = ocs.requests().size();
        List<WsCall> burst = new ArrayList<>();
        Set<String> refusedIds = new HashSet<>();
        try (WsSipClient alice = aliceRegistered();
                Sipp.Running phone = Sipp.scenario("uas-reoffer.xml").args("-rtp_echo").start()) {
            alice.setRequestHandler(request -> "BYE".equals(request.method()) || "MESSAGE".equals(request.method())
                    ? SipResponses.responseTo(request, 200, "OK") : null);
            WsCall up = new WsCall(alice, "sip:uas@" + phone.hostPort()).invite(WebrtcSdp.opusOffer());
            up.await(200, WAIT);
            up.ack();
            ocs.mode(ErlangOcs.Mode.SLOW);
            try {
                for (int i = 0; i < 5; i++) {
                    burst.add(new WsCall(alice, "sip:nobody-" + i + "@ims.example.test")
                            .invite(WebrtcSdp.opusOffer()));
                }
                // 3 CCR-INITIALs wait at the OCS; the other 2 calls are refused, whichever they are
                Set<String> burstIds = new HashSet<>();
                burst.forEach(c -> burstIds.add(c.callId()));
                for (int i = 0; i < 2; i++) {
                    SipMessage refused = alice.awaitMessage("a refusal of a call of the burst", m -> m.isResponse()
                            && burstIds.contains(m.callId()) && !refusedIds.contains(m.callId())
                            && "INVITE".equals(m.cseqMethod()) && m.isFinal(), WAIT);
                    assertEquals(503, refused.status(), refused.toString());
                    assertNotNull(refused.header("Retry-After"), "RFC 3261 21.5.4: when to try again");
                    assertTrue(refused.header("Warning").contains("online charging saturated"), refused.toString());
                    refusedIds.add(refused.callId());
                    burst.stream().filter(c -> c.callId().equals(refused.callId())).findFirst().orElseThrow()
                            .ackRefusal(refused);
                }
                // a call from the core is refused too, with a 500: a 503 with Retry-After would tell the core to send
                // this node nothing at all for a while (RFC 3261 §21.5.4), the BYEs of calls up included
                Sipp.Result fromCore = Sipp.scenario("uac-call-overloaded.xml").remote(core.hostPort())
                        .key("ruri", ALICE).key("from", "sip:phone@ims.example.test").run(WAIT);
                assertTrue(fromCore.ok(), fromCore.describe());
                assertTrue(fromCore.logLines().stream().anyMatch(l -> l.contains("online charging saturated")),
                        fromCore.logLines().toString());
                // a MESSAGE from the core is recorded, never debited: the OCS's saturation does not refuse it
                Sipp.Result message = Sipp.scenario("message-uac.xml").remote(core.hostPort())
                        .key("ruri", ALICE).key("from", "sip:phone@ims.example.test").key("text", "still here")
                        .expect("200").run(WAIT);
                assertTrue(message.ok(), message.describe());
                assertTrue(alice.receivedRequests().stream().anyMatch(m -> "MESSAGE".equals(m.method())),
                        "delivered to alice");
                assertEquals(200, up.reinvite(WebrtcSdp.opusOffer(), WAIT).status(), "the call up goes on");
                assertEquals(200, alice.register(600).status(), "a registration refresh goes on");
                assertEquals(200, up.bye().status(), "the call up ends normally");
                assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
            } finally {
                ocs.mode(ErlangOcs.Mode.ANSWERING);
            }
            for (WsCall call : burst) { // granted once the OCS answers, then refused by the core: nobody is there
                if (!refusedIds.contains(call.callId())) {
                    SipMessage last = call.awaitFinal(WAIT);
                    assertTrue(last.status() >= 300, "every new call ends: " + last);
                    String warning = last.header("Warning");
                    assertTrue(warning == null || !warning.contains("online charging"), "granted late: " + last);
                    call.ackRefusal(last);
                }
            }
        }
        AccountingLine initial = awaitRequests(seen, r -> r.type() == INITIAL, 1).get(0);
        List<AccountingLine> session = awaitRequests(seen, r -> r.session().equals(initial.session()), 2);
        assertEquals(List.of(INITIAL, TERMINATION), session.stream().map(AccountingLine::type).toList(),
                "the call up's CCR-TERMINATION was not shed: " + session);
        assertEquals("2001", session.get(1).get("result"), session.toString());
        // every call of the burst had its final response, so every CCR-INITIAL that left was answered
        assertEquals(4, ocs.requests().stream().skip(seen).filter(r -> r.type() == INITIAL).count(),
                "the call up's and 3 of the burst: the refused calls never reached the OCS: " + ocs.requests());
    }

    private static List<AccountingLine> awaitRequests(int skip, Predicate<AccountingLine> which, int count)
            throws Exception {
        return ocs.awaitRequests(skip, which, count, WAIT);
    }
}

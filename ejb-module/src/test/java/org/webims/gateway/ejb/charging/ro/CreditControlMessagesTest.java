package org.webims.gateway.ejb.charging.ro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.peer.DiameterPeer;
import org.webims.gateway.diameter.peer.PeerGroup;
import org.webims.gateway.diameter.peer.Watchdog;
import org.webims.gateway.diameter.testpeer.AccountingLine;
import org.webims.gateway.diameter.testpeer.ErlangOcs;
import org.webims.gateway.ejb.charging.CreditAnswer;
import org.webims.gateway.ejb.charging.CreditRequest;
import org.webims.gateway.ejb.charging.FailureHandling;
import org.webims.gateway.ports.call.CallDirection;

/** Our CCRs as a real OCS (Erlang/OTP diameter with an RFC 4006 / TS 32.299 dictionary) takes them, and its CCAs. */
class CreditControlMessagesTest {
    private static final NioEventLoopGroup GROUP = new NioEventLoopGroup(1);
    private static final String ALICE = "sip:alice@ims.test";
    private static ErlangOcs ocs;
    private static DiameterPeer peer;
    private static RoPeers ro;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (var free = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        ocs = ErlangOcs.start(port);
        peer = new DiameterPeer(new DiameterPeer.Settings("127.0.0.1", port, "webims.ims.test", "ims.test",
                InetAddress.getLoopbackAddress(), List.of(), List.of(4L), Duration.ofSeconds(5), Duration.ofSeconds(5),
                10, Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(1)), GROUP);
        peer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (peer.state() != Watchdog.State.OKAY && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ro = new RoPeers(new PeerGroup(List.of(peer)), new CreditControlMessages("webims.ims.test", "ims.test",
                "ocs.test"), peer::nextEndToEnd);
    }

    @AfterAll
    static void stop() throws Exception {
        peer.close();
        ocs.close();
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private static CreditRequest request(String session, CreditRequest.Type type, int number, String user,
            long requested, long used, boolean debit) {
        return new CreditRequest(session, type, number, Instant.now(), debit ? "MESSAGE" : "INVITE",
                CallDirection.ORIGINATING, user, "tel:+15550100", null, "icid", requested, used, debit, null);
    }

    private static CreditAnswer send(CreditRequest request) throws Exception {
        return ro.send(request, false).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aReservationOfTheLastUnitsThenTheirUseThenNoMore() throws Exception {
        ocs.balance(ALICE, 10).failureHandling(FailureHandling.CONTINUE.code);
        CreditAnswer initial = send(request("s1", CreditRequest.Type.INITIAL, 0, ALICE, 60, -1, false));
        assertEquals(2001, initial.resultCode());
        assertEquals(10L, initial.grantedSeconds());
        assertTrue(initial.finalUnits(), "the last 10 s: Final-Unit-Indication TERMINATE");
        assertEquals(FailureHandling.CONTINUE, initial.failureHandling());
        assertEquals(2001, send(request("s1", CreditRequest.Type.TERMINATION, 1, ALICE, 0, 10, false)).resultCode());
        CreditAnswer none = send(request("s2", CreditRequest.Type.INITIAL, 0, ALICE, 60, -1, false));
        assertEquals(4012, none.resultCode());
        assertNull(none.grantedSeconds());

        List<AccountingLine> taken = ocs.requests();
        AccountingLine first = taken.get(taken.size() - 3);
        assertEquals("1", first.get("type"));
        assertEquals(ALICE, first.get("user"), "Subscription-Id END_USER_SIP_URI");
        assertEquals("60", first.get("requested"), "Requested-Service-Unit CC-Time");
        assertEquals("10", taken.get(taken.size() - 2).get("used"), "Used-Service-Unit CC-Time");
    }

    @Test
    void anUnknownSubscriberIs5030AndAMessageIsDebitedDirectly() throws Exception {
        assertEquals(5030, send(request("s3", CreditRequest.Type.INITIAL, 0, "sip:nobody@ims.test", 60, -1, false))
                .resultCode());
        ocs.balance("15551234", 1); // a tel URI is END_USER_E164: its digits
        assertEquals(2001, send(request("s4", CreditRequest.Type.EVENT, 0, "tel:+15551234", 0, -1, true))
                .resultCode());
        assertEquals(4012, send(request("s5", CreditRequest.Type.EVENT, 0, "tel:+15551234", 0, -1, true))
                .resultCode(), "the one unit is gone");
        AccountingLine event = ocs.requests().get(ocs.requests().size() - 1);
        assertEquals("15551234", event.get("user"), "Subscription-Id END_USER_E164");
        assertEquals("0", event.get("action"), "Requested-Action DIRECT_DEBITING");
    }

    @Test
    void aBusyOcsIsAProtocolError() throws Exception {
        ocs.mode(ErlangOcs.Mode.BUSY);
        try {
            CreditAnswer busy = send(request("s6", CreditRequest.Type.INITIAL, 0, ALICE, 60, -1, false));
            assertEquals(3004, busy.resultCode());
            assertTrue(busy.protocolError());
        } finally {
            ocs.mode(ErlangOcs.Mode.ANSWERING);
        }
    }

    @Test
    void aSlowOcsFullOfNewSessionsRefusesTheNextAtOnceAndStillTakesTheCallsInProgress() throws Exception {
        ocs.balance(ALICE, 1000);
        assertEquals(2001, send(request("s7", CreditRequest.Type.INITIAL, 0, ALICE, 60, -1, false)).resultCode());
        ocs.mode(ErlangOcs.Mode.SLOW);
        List<java.util.concurrent.CompletableFuture<CreditAnswer>> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) { // three quarters of the peer's 10 in flight: all new sessions may take
                held.add(ro.send(request("new-" + i, CreditRequest.Type.INITIAL, 0, ALICE, 60, -1, false), false));
            }
            assertTrue(ro.saturated(), "no room for a new session: admission refuses before asking");
            var refused = ro.send(request("new-8", CreditRequest.Type.INITIAL, 0, ALICE, 60, -1, false), false);
            var failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> refused.get(1, TimeUnit.SECONDS), "refused at once, not at Tx");
            org.junit.jupiter.api.Assertions.assertInstanceOf(RoPeers.Saturated.class, failure.getCause());
            held.add(ro.send(request("s7", CreditRequest.Type.UPDATE, 1, ALICE, 60, 5, false), false));
        } finally {
            ocs.mode(ErlangOcs.Mode.ANSWERING);
        }
        for (var answer : held) {
            assertEquals(2001, answer.get(5, TimeUnit.SECONDS).resultCode(), "every request that left is answered");
        }
        assertEquals(2001, send(request("s7", CreditRequest.Type.TERMINATION, 2, ALICE, 0, 1, false)).resultCode());
        assertTrue(ocs.requests().stream().noneMatch(r -> r.session().equals("new-8")), "new-8 never left");
    }
}

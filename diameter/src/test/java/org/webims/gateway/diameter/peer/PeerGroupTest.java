package org.webims.gateway.diameter.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.ResultCode;
import org.webims.gateway.diameter.testpeer.ErlangCdf;

/** A primary and a secondary CDF (both the tests' Erlang peer): failover, with the T flag where RFC 6733 §5.5.4 asks. */
class PeerGroupTest {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private ErlangCdf primary;
    private ErlangCdf secondary;
    private PeerGroup peers;

    private DiameterPeer peerOf(ErlangCdf cdf, Duration answerTimeout) {
        DiameterPeer peer = new DiameterPeer(new DiameterPeer.Settings("127.0.0.1", cdf.port(), "gw.test.example",
                "test.example", InetAddress.getLoopbackAddress(), List.of(3L), List.of(), Duration.ofSeconds(6),
                Duration.ofSeconds(5), 10, answerTimeout, Duration.ofMillis(200), Duration.ofSeconds(1)), group);
        peer.start();
        return peer;
    }

    private void startBoth(boolean primarySilent) throws Exception {
        startBoth(primarySilent, Duration.ofSeconds(1));
    }

    private void startBoth(boolean primarySilent, Duration answerTimeout) throws Exception {
        primary = ErlangCdf.start(primarySilent);
        secondary = ErlangCdf.start(false);
        peers = new PeerGroup(List.of(peerOf(primary, answerTimeout), peerOf(secondary, answerTimeout)));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (peers.peers().stream().anyMatch(p -> p.state() != Watchdog.State.OKAY)) {
            assertTrue(System.nanoTime() < deadline, "both peers OKAY");
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (peers != null) {
            peers.peers().forEach(DiameterPeer::close);
        }
        for (ErlangCdf cdf : new ErlangCdf[] {primary, secondary}) {
            if (cdf != null) {
                cdf.close();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private DiameterMessage acr(DiameterPeer peer, int number) {
        return new DiameterMessage(DiameterMessage.ACCOUNTING, true, true, false, false, 3, 0, peer.nextEndToEnd(),
                List.of(Avp.utf8(AvpCode.SESSION_ID, "gw.test.example;2;" + number),
                        Avp.utf8(AvpCode.ORIGIN_HOST, "gw.test.example"), Avp.utf8(AvpCode.ORIGIN_REALM, "test.example"),
                        Avp.utf8(AvpCode.DESTINATION_REALM, "test.example"),
                        Avp.integer32(AvpCode.ACCOUNTING_RECORD_TYPE, 1),
                        Avp.unsigned32(AvpCode.ACCOUNTING_RECORD_NUMBER, number),
                        Avp.unsigned32(AvpCode.ACCT_APPLICATION_ID, 3)));
    }

    @Test
    void aSessionsRequestsGoToTheServerThatHoldsItAndElsewhereOnlyWhenItIsDown() throws Exception {
        startBoth(false);
        String home = peers.peers().get(1).remoteHost().orElseThrow();
        assertEquals("cdf-" + secondary.port() + ".test.example", home, "the identity from the CEA");
        DiameterMessage aca = peers.send(acr(peers.peers().get(0), 1), home, true).get(5, TimeUnit.SECONDS);
        assertEquals(home, aca.originHost().orElseThrow());
        assertEquals(0, primary.records().size(), "the primary is up, but the session lives at the secondary");
        assertEquals(1, secondary.records().size());
        secondary.kill();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (peers.peers().get(1).state() == Watchdog.State.OKAY && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        aca = peers.send(acr(peers.peers().get(0), 2), home, true).get(5, TimeUnit.SECONDS);
        assertEquals(ResultCode.SUCCESS, aca.first(AvpCode.RESULT_CODE).orElseThrow().unsigned32(),
                "taken over by the primary, without the Destination-Host of a server that is gone");
        assertEquals(1, primary.records().size());
    }

    @Test
    void sentOverAPeersConnectionARequestGoesThereFirstWithoutDestinationHost() throws Exception {
        startBoth(false);
        String over = peers.peers().get(1).remoteHost().orElseThrow();
        DiameterMessage aca = peers.sendOver(acr(peers.peers().get(0), 4), over, Urgency.ONGOING)
                .get(5, TimeUnit.SECONDS);
        assertEquals(over, aca.originHost().orElseThrow(), "the secondary, though the primary is up");
        assertEquals(0, primary.records().size());
        assertEquals("", secondary.accountingRecords().get(0).get("dest"),
                "no Destination-Host: a relay agent on that connection routes it by Session-Id");
    }

    @Test
    void aSessionOfAServerBehindARelayKeepsItsDestinationHost() throws Exception {
        startBoth(false);
        // a host none of our peers is: the session lives behind a relay agent, which routes by Destination-Host
        DiameterMessage aca = peers.send(acr(peers.peers().get(0), 3), "cdf-9.behind.example", true)
                .get(5, TimeUnit.SECONDS);
        assertTrue(aca != null, "answered");
        assertEquals(1, primary.records().size() + secondary.records().size());
        String destination = (primary.records().isEmpty() ? secondary : primary).accountingRecords().get(0)
                .get("dest");
        assertEquals("cdf-9.behind.example", destination, "sent with the session's Destination-Host");
    }

    @Test
    void thePrimaryTakesTheRequestsWhileItIsUp() throws Exception {
        startBoth(false);
        DiameterMessage aca = peers.send(acr(peers.peers().get(0), 1)).get(5, TimeUnit.SECONDS);
        assertEquals(ResultCode.SUCCESS, aca.first(AvpCode.RESULT_CODE).orElseThrow().unsigned32());
        assertEquals(1, primary.records().size());
        assertEquals(0, secondary.records().size());
    }

    @Test
    void aPrimaryThatIsDownIsSkippedWithoutTheTFlag() throws Exception {
        startBoth(false);
        primary.kill();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (peers.peers().get(0).state() == Watchdog.State.OKAY) {
            assertTrue(System.nanoTime() < deadline, "the primary is seen down");
            Thread.sleep(20);
        }
        peers.send(acr(peers.peers().get(0), 2)).get(5, TimeUnit.SECONDS);
        assertTrue(secondary.records().get(0).contains("t=false"), secondary.records().toString());
    }

    @Test
    void aRequestThePrimaryLeftUnansweredGoesToTheSecondaryWithTheTFlag() throws Exception {
        startBoth(true);
        DiameterMessage aca = peers.send(acr(peers.peers().get(0), 3)).get(5, TimeUnit.SECONDS);
        assertEquals(ResultCode.SUCCESS, aca.first(AvpCode.RESULT_CODE).orElseThrow().unsigned32());
        assertTrue(primary.records().get(0).contains("number=3"), "the primary took it and kept silent");
        assertTrue(secondary.records().get(0).contains("number=3\tt=true"), "RFC 6733 §5.5.4: "
                + secondary.records());
    }

    @Test
    void aPrimaryThatStopsAnsweringWatchdogsIsDeclaredDownAndFailedOver() throws Exception {
        startBoth(false);
        DiameterPeer first = peers.peers().get(0);
        primary.pause(); // connected, silent: only the watchdog can tell (RFC 3539 §3.4.1)
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos(); // Tw is 6 s here: a DWR, then 2 Tw
        while (first.state() == Watchdog.State.OKAY) {
            assertTrue(System.nanoTime() < deadline, "the silent primary is suspected");
            Thread.sleep(20);
        }
        DiameterMessage aca = peers.send(acr(first, 5)).get(5, TimeUnit.SECONDS);
        assertEquals(ResultCode.SUCCESS, aca.first(AvpCode.RESULT_CODE).orElseThrow().unsigned32());
        assertTrue(secondary.records().get(0).contains("number=5"), "failed over: " + secondary.records());
        while (first.state() != Watchdog.State.DOWN) {
            assertTrue(System.nanoTime() < deadline, "then declared down: " + first.state());
            Thread.sleep(20);
        }
        primary.resume();
        while (first.state() != Watchdog.State.OKAY) {
            assertTrue(System.nanoTime() < deadline + Duration.ofSeconds(30).toNanos(),
                    "back after three watchdogs in REOPEN: " + first.state());
            Thread.sleep(20);
        }
    }

    @Test
    void aFullPrimaryRefusesNewSessionsFirstAndPassesThemOnEvenWithoutFailover() throws Exception {
        // the primary takes requests and answers none: they stay in flight (10 at most here) for the whole test, however
        // slowly it runs (with the answer timeout of 1 s of the other tests they could expire halfway)
        startBoth(true, Duration.ofSeconds(30));
        DiameterPeer first = peers.peers().get(0);
        String home = first.remoteHost().orElseThrow();
        List<java.util.concurrent.CompletableFuture<DiameterMessage>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) { // three quarters of 10: what new sessions may take
            waiting.add(peers.send(acr(first, 10 + i), null, false, Urgency.NEW_SESSION));
        }
        assertTrue(!first.takesNewSessions() && peers.takesNewSessions(), "the secondary has room");
        DiameterMessage aca = peers.send(acr(first, 20), null, false, Urgency.NEW_SESSION).get(5, TimeUnit.SECONDS);
        assertEquals(ResultCode.SUCCESS, aca.first(AvpCode.RESULT_CODE).orElseThrow().unsigned32());
        assertTrue(secondary.records().get(0).contains("number=20\tt=false"),
                "refused by the primary before it left: no T flag " + secondary.records());
        waiting.add(peers.send(acr(first, 21), home, false, Urgency.ONGOING));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (primary.records().size() < 9) {
            assertTrue(System.nanoTime() < deadline, "a session in progress still reaches the primary: "
                    + primary.records());
            Thread.sleep(20);
        }
        assertEquals(1, secondary.records().size());
    }

    @Test
    void withEveryPeerDownTheRequestFailsAtOnce() throws Exception {
        startBoth(false);
        primary.kill();
        secondary.kill();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (peers.available()) {
            assertTrue(System.nanoTime() < deadline, "both seen down");
            Thread.sleep(20);
        }
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> peers.send(acr(peers.peers().get(0), 4)).get(1, TimeUnit.SECONDS));
        assertInstanceOf(PeerException.Unavailable.class, failed.getCause());
    }
}

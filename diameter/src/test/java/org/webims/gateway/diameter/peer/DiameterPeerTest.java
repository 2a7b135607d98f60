package org.webims.gateway.diameter.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.ResultCode;
import org.webims.gateway.diameter.testpeer.ErlangCdf;

/**
 * The peer connection against the tests' Erlang CDF: capabilities exchange, a request and its answer, watchdogs on an
 * idle connection, the peer crashing (pending requests fail, new ones are refused at once), and the peer coming back
 * (reconnected, REOPEN, then traffic again). Tw is 1 s here so that this takes seconds (the gateway's is 30 s).
 */
class DiameterPeerTest {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private ErlangCdf cdf;
    private DiameterPeer peer;

    @BeforeEach
    void start() throws Exception {
        cdf = ErlangCdf.start();
        peer = new DiameterPeer(new DiameterPeer.Settings("127.0.0.1", cdf.port(), "gw.test.example", "test.example",
                InetAddress.getLoopbackAddress(), List.of(3L), List.of(), Duration.ofSeconds(1), Duration.ofSeconds(5),
                2, Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(1)), group);
        peer.start();
    }

    @AfterEach
    void stop() throws Exception {
        peer.close();
        cdf.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + max + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Keeps the peer's one thread busy until the latch returned is counted down (at most 10 s). */
    private CountDownLatch holdPeersThread() throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        group.next().execute(() -> {
            busy.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(busy.await(5, TimeUnit.SECONDS), "the peer's thread is held");
        return release;
    }

    private DiameterMessage acr(int number) {
        return new DiameterMessage(DiameterMessage.ACCOUNTING, true, true, false, false, 3, 0, peer.nextEndToEnd(),
                List.of(Avp.utf8(AvpCode.SESSION_ID, "gw.test.example;1;" + number),
                        Avp.utf8(AvpCode.ORIGIN_HOST, "gw.test.example"), Avp.utf8(AvpCode.ORIGIN_REALM, "test.example"),
                        Avp.utf8(AvpCode.DESTINATION_REALM, "test.example"),
                        Avp.integer32(AvpCode.ACCOUNTING_RECORD_TYPE, 1), // EVENT_RECORD
                        Avp.unsigned32(AvpCode.ACCOUNTING_RECORD_NUMBER, number),
                        Avp.unsigned32(AvpCode.ACCT_APPLICATION_ID, 3)));
    }

    @Test
    void aRequestIsAnsweredAndAnIdleConnectionIsKeptUpByWatchdogs() throws Exception {
        await("OKAY", () -> peer.state() == Watchdog.State.OKAY, Duration.ofSeconds(10));
        DiameterMessage aca = peer.send(acr(1)).get(5, TimeUnit.SECONDS);
        assertEquals(ResultCode.SUCCESS, aca.first(AvpCode.RESULT_CODE).orElseThrow().unsigned32());
        assertEquals(1, cdf.records().size());
        await("two DWAs", () -> peer.watchdogAnswers() >= 2, Duration.ofSeconds(10));
        assertEquals(Watchdog.State.OKAY, peer.state());
    }

    @Test
    void aRequestsSlotIsFreeBeforeItsCallerSeesTheAnswer() throws Exception {
        await("OKAY", () -> peer.state() == Watchdog.State.OKAY, Duration.ofSeconds(10));
        // a stage the caller adds runs as soon as the answer is in: it must find the slot already given back
        int inFlightSeenByCaller = peer.send(acr(1)).thenApply(aca -> peer.requestsInFlight()).get(5, TimeUnit.SECONDS);
        assertEquals(0, inFlightSeenByCaller);
    }

    @Test
    @SuppressWarnings("deprecation") // shutdown(): the state in which the loop refuses tasks, without waiting for it
    void aRequestSentOrACloseWhileThePeersThreadIsShutDownFailsCleanlyAndGivesItsSlotBack() throws Exception {
        await("OKAY", () -> peer.state() == Watchdog.State.OKAY, Duration.ofSeconds(10));
        // the peer's thread is kept busy so that the connection's loss is not processed: the peer still says OKAY
        // when its thread already refuses tasks, as in the moment the server stops
        CountDownLatch release = holdPeersThread();
        group.shutdown();
        try {
            assertEquals(Watchdog.State.OKAY, peer.state());
            CompletableFuture<DiameterMessage> sent = peer.send(acr(1));
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> sent.get(5, TimeUnit.SECONDS));
            assertInstanceOf(PeerException.Unavailable.class, failed.getCause());
            assertEquals(0, peer.requestsInFlight(), "the slot is given back");
            org.junit.jupiter.api.Assertions.assertDoesNotThrow(peer::close, "closing finds nothing left to close");
        } finally {
            release.countDown();
        }
    }

    @Test
    void requestsBeyondTheLimitInFlightAreRefusedAtOnce() throws Exception {
        await("OKAY", () -> peer.state() == Watchdog.State.OKAY, Duration.ofSeconds(10));
        // the peer's thread is held so that the first two cannot be written and answered before the third is sent
        // (the CDF answers within a millisecond: a descheduled test thread once saw the first answered already)
        CountDownLatch release = holdPeersThread();
        List<CompletableFuture<DiameterMessage>> sent;
        try {
            sent = List.of(peer.send(acr(1)), peer.send(acr(2)), peer.send(acr(3)));
            assertEquals(2, peer.requestsInFlight());
        } finally {
            release.countDown();
        }
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> sent.get(2).get(5, TimeUnit.SECONDS));
        assertInstanceOf(PeerException.Overloaded.class, refused.getCause(), "2 in flight at most");
        sent.get(0).get(5, TimeUnit.SECONDS);
        sent.get(1).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aCrashedPeerIsDownAndItsReturnIsProvedByThreeWatchdogsBeforeTraffic() throws Exception {
        await("OKAY", () -> peer.state() == Watchdog.State.OKAY, Duration.ofSeconds(10));
        cdf.kill();
        await("DOWN", () -> peer.state() == Watchdog.State.DOWN, Duration.ofSeconds(10));
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> peer.send(acr(9)).get(1, TimeUnit.SECONDS));
        assertInstanceOf(PeerException.Unavailable.class, refused.getCause(), "refused at once, not queued");
        int answersBefore = peer.watchdogAnswers();
        cdf.restart();
        await("REOPEN", () -> peer.state() == Watchdog.State.REOPEN || peer.state() == Watchdog.State.OKAY,
                Duration.ofSeconds(10));
        await("OKAY again", () -> peer.state() == Watchdog.State.OKAY, Duration.ofSeconds(15));
        assertTrue(peer.watchdogAnswers() - answersBefore >= Watchdog.REOPEN_ANSWERS,
                "RFC 3539 §3.4.1: three DWAs in REOPEN before traffic");
        assertEquals(ResultCode.SUCCESS, peer.send(acr(10)).get(5, TimeUnit.SECONDS).first(AvpCode.RESULT_CODE)
                .orElseThrow().unsigned32());
    }
}

package org.webims.gateway.sip.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.ServerTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.sip.media.Side;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;

/** How long a reliable 18x waits for its PRACK before the INVITE gets 504 (RFC 3262 §3), and which wait counts. */
class PrackTimeoutTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void waitsSixtyFourT1() {
        assertEquals(Duration.ofMillis(3200), PrackTimeout.waitFor(Duration.ofMillis(50)));
        assertEquals(Duration.ofSeconds(32), PrackTimeout.waitFor(Duration.ofMillis(500)));
    }

    @Test
    void neverPastTheStacksOwnGiveUpWhenT1IsLonger() {
        // JAIN-SIP ends the transaction 34 s after the 18x whatever T1 is: a 5xx after that could not go
        assertEquals(Duration.ofSeconds(32), PrackTimeout.waitFor(Duration.ofSeconds(2)));
    }

    @Test
    void aWaitThatFiredJustBeforeItsPrackDoesNotRejectTheNextReliable18x() throws Exception {
        // the call's queue runs only when the test says: the timer's step waits there as it would behind busy work
        ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();
        KeyedSerialExecutor work = new KeyedSerialExecutor(queued::add);
        PrackTimeout timeout = new PrackTimeout(null, timers, work, null, Duration.ofMillis(1)); // a 64 ms wait
        Leg calling = new Leg(Side.WEBRTC, "a@b", null, null);
        List<String> touched = new ArrayList<>();
        calling.inviteServer = (ServerTransaction) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServerTransaction.class}, (proxy, method, args) -> {
                    touched.add(method.getName()); // any use of the INVITE: a response about to go
                    return null;
                });
        Call call = new Call("c1", "sip-c1", CallDirection.ORIGINATING, calling, Instant.EPOCH, "a", "b", "a", "i");

        calling.ownReliableUnacked = true;
        timeout.arm(call, calling); // the first 18x
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queued.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, queued.size(), "the first wait fired and queued its step");
        calling.prackAcknowledged(); // its PRACK, handled first on the queue
        calling.ownReliableUnacked = true;
        timeout.arm(call, calling); // a second reliable 18x, now awaited
        Object second = calling.prackWait;
        queued.poll().run(); // the first wait's step runs only now

        assertTrue(touched.isEmpty(), "the INVITE was answered for the first 18x's wait: " + touched);
        assertTrue(call.isLive());
        assertSame(second, calling.prackWait, "the second 18x's wait still stands");
        assertTrue(calling.ownReliableUnacked);
    }
}

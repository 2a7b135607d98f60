package org.webims.gateway.sip.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.runtime.WorkQueueDelay;

class RefusalShareTest {
    private static final long MS = 1_000_000L;
    private long now = 1_000 * MS;
    private double draw = 0.5;
    private final WorkQueueDelay work = new WorkQueueDelay(Duration.ofMillis(100), Duration.ofMillis(500), () -> now);
    private final WorkQueueDelay received = new WorkQueueDelay(Duration.ofMillis(100), Duration.ofMillis(500),
            () -> now);
    private final RefusalShare refusals = new RefusalShare(List.of(work, received), Duration.ofMillis(100),
            () -> now, () -> draw);

    private final java.util.Map<WorkQueueDelay, ArrayDeque<Long>> queued = new java.util.HashMap<>();

    /**
     * An interval of 100 ms in which {@code starts} pieces of work start on {@code queue} and {@code standing} are
     * left waiting at its end: work handed over then would wait {@code standing * 100 / starts} ms.
     */
    private void interval(WorkQueueDelay queue, int starts, int standing) {
        interval(queue, starts, standing, 100);
    }

    private void interval(WorkQueueDelay queue, int starts, int standing, long ms) {
        ArrayDeque<Long> waiting = queued.computeIfAbsent(queue, q -> new ArrayDeque<>());
        while (waiting.size() < starts + standing) {
            waiting.add(queue.submitted());
        }
        for (int i = 0; i < starts; i++) {
            queue.started(waiting.poll());
        }
        while (waiting.size() > standing) { // fewer standing than before: the rest withdrawn
            waiting.poll();
            queue.withdrawn();
        }
        now += ms * MS;
        refusals.refuseNext(); // the first request after the interval adjusts the share
    }

    @Test
    void aGatewayKeepingUpRefusesNothing() {
        for (int i = 0; i < 20; i++) {
            interval(work, 100, 5);
            assertFalse(refusals.refuseNext());
        }
        assertEquals(0, refusals.share());
    }

    /** Intervals with work that would wait three times the target, until the share is over {@code atLeast}. */
    private void overloadedUntil(double atLeast) {
        for (int i = 0; i < 100 && refusals.share() <= atLeast; i++) {
            interval(work, 100, 300);
        }
        assertTrue(refusals.share() > atLeast, "the test's premise: " + refusals.share());
    }

    @Test
    void aWaitOverTheTargetForFewerIntervalsThanTheBurstAllowanceIsAbsorbed() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < RefusalShare.BURST_ALLOWANCE - 1; i++) {
                interval(work, 100, 400);
            }
            interval(work, 100, 20);
        }
        assertEquals(0, refusals.share(), "a burst, a fresh server's JIT or a GC pause: nothing refused");
        for (int i = 0; i < RefusalShare.BURST_ALLOWANCE; i++) {
            interval(work, 100, 400);
        }
        assertTrue(refusals.share() > 0, "a queue standing for the whole allowance");
    }

    @Test
    void theShareMovesWithHowFarTheWaitIsOverTheTargetAndHowItGrew() {
        for (int i = 0; i < RefusalShare.BURST_ALLOWANCE; i++) {
            interval(work, 100, 150);
        }
        // RFC 8033 §4.2 in units of the target: alpha * (1.5 - 1) + beta * (1.5 - 1.5)
        assertEquals(RefusalShare.ALPHA * 0.5, refusals.share(), 1e-9);
        double standing = refusals.share();
        interval(work, 100, 250);
        assertEquals(standing + RefusalShare.ALPHA * 1.5 + RefusalShare.BETA * 1.0, refusals.share(), 1e-9,
                "growing: alpha * (2.5 - 1) + beta * (2.5 - 1.5)");
        draw = refusals.share() - 0.01;
        assertTrue(refusals.refuseNext(), "a draw within the share is refused");
        draw = refusals.share() + 0.01;
        assertFalse(refusals.refuseNext(), "one beyond it is let in");
    }

    @Test
    void theCoresAnswersWaitingCountAsMuchAsTheWorkersQueue() {
        for (int i = 0; i < RefusalShare.BURST_ALLOWANCE; i++) {
            interval(received, 100, 150);
        }
        assertEquals(RefusalShare.ALPHA * 0.5, refusals.share(), 1e-9);
    }

    @Test
    void aWaitFallingLowersTheShareAndOneStandingAtTheTargetHoldsIt() {
        overloadedUntil(0.6);
        double overloaded = refusals.share();
        interval(work, 100, 200);
        assertTrue(refusals.share() < overloaded, "draining: lowered");
        interval(work, 100, 100);
        double atTarget = refusals.share();
        assertTrue(atTarget > 0, "the test's premise");
        interval(work, 100, 100);
        assertEquals(atTarget, refusals.share(), 1e-9, "at the target and steady: held");
    }

    @Test
    void waitsUnderHalfTheTargetHalveTheShareDownToNone() {
        overloadedUntil(0.9);
        interval(work, 100, 40);
        double draining = refusals.share();
        assertTrue(draining > 0, "the test's premise");
        interval(work, 100, 10);
        assertEquals(draining / 2, refusals.share(), 1e-9, "two intervals under half the target");
        for (int i = 0; i < 8; i++) {
            interval(work, 100, 10);
        }
        assertEquals(0, refusals.share(), "under " + RefusalShare.FLOOR + ": everything let in again");
    }

    @Test
    void aFewStartsWithWorkStillWaitingSayNothingAndTheShareHolds() {
        overloadedUntil(0.5);
        double overloaded = refusals.share();
        interval(work, RefusalShare.MIN_STARTS - 1, 300); // the idle core queue knows only that nothing waits there
        assertEquals(overloaded, refusals.share(), 1e-9, "a pause, or hardly any traffic: neither raised nor lowered");
        assertEquals(RefusalShare.UNKNOWN, refusals.lastWaitsMillis()[0]);
    }

    @Test
    void atLowTrafficWithNothingWaitingTheShareComesDown() {
        overloadedUntil(0.5);
        for (int i = 0; i < 10; i++) {
            interval(work, 5, 0); // a handful of in-dialog requests, each served at once
        }
        assertEquals(0, refusals.share(), "nothing waits: the few starts are enough to know the wait is none");
    }

    @Test
    void aQuietSpellAfterOverloadCountsEveryIntervalItLasted() {
        overloadedUntil(0.9);
        interval(work, 100, 0);
        now += 2_000 * MS;
        draw = 0.0;
        assertFalse(refusals.refuseNext(), "two quiet seconds: the first request after them is let in");
        assertEquals(0, refusals.share());
    }

    @Test
    void aGapWithWorkStillWaitingIsOneLongIntervalNotAQuietSpell() {
        overloadedUntil(0.5);
        double overloaded = refusals.share();
        interval(work, 300, 900, 300); // a GC pause under load: no request for three intervals, work queued
        assertTrue(refusals.share() >= overloaded, "still three times the target: not decayed, " + refusals.share());
    }

    @Test
    void aStalledQueueRefusesEveryNewRequest() {
        draw = 0.999;
        work.submitted();
        now += 600 * MS;
        assertTrue(refusals.stalled());
        assertTrue(refusals.refuseNext(), "whatever the share");
    }

    @Test
    void aZeroTargetNeverRefuses() {
        RefusalShare off = new RefusalShare(List.of(work), Duration.ZERO, () -> now, () -> 0.0);
        work.submitted();
        now += 60_000 * MS;
        assertFalse(off.refuseNext());
    }

    /**
     * Past capacity the share settles where what is let in is what the server can do: a simulated server that
     * serves 2 new requests a millisecond, offered 4, keeps its queue's wait near the target and its goodput near
     * its capacity, where a door that lets everything in would queue without end.
     */
    @Test
    void offeredTwiceTheCapacityTheShareLetsInWhatCanBeServedAndTheWaitStaysNearTheTarget() {
        SplittableRandom random = new SplittableRandom(7);
        RefusalShare door = new RefusalShare(List.of(work), Duration.ofMillis(100), () -> now, random::nextDouble);
        ArrayDeque<Long> queue = new ArrayDeque<>();
        long served = 0;
        long waitedMs = 0;
        long maxWaitMs = 0;
        for (int ms = 0; ms < 20_000; ms++) {
            for (int i = 0; i < 4; i++) {
                if (!door.refuseNext()) {
                    queue.add(work.submitted());
                }
            }
            for (int i = 0; i < 2 && !queue.isEmpty(); i++) {
                long submitted = queue.poll();
                work.started(submitted);
                if (ms >= 10_000) { // the last ten seconds
                    served++;
                    long waited = (now - submitted) / MS;
                    waitedMs += waited;
                    maxWaitMs = Math.max(maxWaitMs, waited);
                }
            }
            now += MS;
        }
        double goodput = served / 10_000.0;
        assertTrue(goodput >= 0.98 * 2, "served " + goodput + " a millisecond of a capacity of 2");
        assertTrue(waitedMs / served <= 150, "mean wait " + waitedMs / served + " ms");
        assertTrue(maxWaitMs <= 300, "longest wait " + maxWaitMs + " ms");
        assertTrue(door.share() > 0.3 && door.share() < 0.7, "about half refused: " + door.share());
    }
}

package org.webims.gateway.sip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueDelayTest {
    private static final long MS = 1_000_000L;
    private long now = 1_000 * MS;
    private final WorkQueueDelay delay = new WorkQueueDelay(Duration.ofMillis(100), Duration.ofMillis(500),
            () -> now);

    /** {@code count} pieces of work, each started {@code waitMs} after it was submitted. */
    private void work(int count, long waitMs) {
        for (int i = 0; i < count; i++) {
            long submitted = now - waitMs * MS;
            delay.submitted();
            delay.started(submitted);
            now += MS;
        }
    }

    @Test
    void theWaitOfWorkHandedOverNowIsWhatWaitsAtTheRateWorkStarted() {
        delay.waitsSinceLast();
        long[] submitted = new long[30];
        for (int i = 0; i < submitted.length; i++) {
            submitted[i] = delay.submitted();
        }
        for (int i = 0; i < 20; i++) {
            now += 5 * MS;
            delay.started(submitted[i]);
        }
        WorkQueueDelay.Waits waits = delay.waitsSinceLast();
        assertEquals(20, waits.starts());
        assertEquals(50 * MS, waits.expectedNanos(), "ten waiting, twenty started in 100 ms (RFC 8033 §4.3)");
    }

    @Test
    void workWaitingWithNothingStartingCountsHowLongNothingStarted() {
        work(1, 1);
        delay.waitsSinceLast();
        delay.submitted();
        now += 300 * MS;
        WorkQueueDelay.Waits waits = delay.waitsSinceLast();
        assertEquals(0, waits.starts());
        assertEquals(300 * MS, waits.expectedNanos(), "the wait so far of what is waiting");
        delay.started(now - 300 * MS);
        now += 100 * MS;
        assertEquals(new WorkQueueDelay.Waits(0, 1), delay.waitsSinceLast(), "one start, nothing left waiting");
        assertEquals(new WorkQueueDelay.Waits(0, 0), delay.waitsSinceLast(), "counted afresh");
    }

    @Test
    void workWaitingAWholeIntervalWithNothingStartingHasStalled() {
        work(5, 1);
        delay.submitted();
        now += 400 * MS;
        assertFalse(delay.stalled(), "waiting less than an interval");
        now += 200 * MS;
        assertTrue(delay.stalled(), "every thread stuck for longer than an interval");
        delay.started(now - 600 * MS);
        assertFalse(delay.stalled(), "started: nothing waits");
    }

    @Test
    void workNewlySubmittedAfterAQuietSpellIsNotTakenForAStall() {
        now += 60_000 * MS;
        delay.submitted();
        assertFalse(delay.stalled(), "the last start is old but the work only just came");
        assertTrue(delay.waitsSinceLast().expectedNanos() < 100 * MS, "nor for a long wait");
    }

    @Test
    void withdrawnWorkNoLongerCountsAsWaiting() {
        delay.submitted();
        delay.withdrawn();
        now += 2_000 * MS;
        assertFalse(delay.stalled());
        assertEquals(0, delay.waiting());
    }

    @Test
    void offNeverStallsAndMeasuresNothing() {
        WorkQueueDelay off = new WorkQueueDelay(Duration.ZERO, Duration.ZERO, () -> now);
        long submitted = off.submitted();
        now += 60_000 * MS;
        assertFalse(off.stalled());
        off.started(submitted);
        assertEquals(0, off.waitsSinceLast().starts());
    }
}

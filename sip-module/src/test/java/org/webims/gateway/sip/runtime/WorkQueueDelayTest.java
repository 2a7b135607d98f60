package org.webims.gateway.sip.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueDelayTest {
    private static final long MS = 1_000_000L;
    private long now = 1_000 * MS;
    private final WorkQueueDelay delay = new WorkQueueDelay(Duration.ofMillis(100), Duration.ofMillis(500),
            () -> now);

    /** {@code count} pieces of work, each submitted and started {@code waitMs} later, spread over {@code spanMs}. */
    private void work(int count, long waitMs, long spanMs) {
        for (int i = 0; i < count; i++) {
            long submitted = delay.submitted();
            now += waitMs * MS;
            delay.started(submitted);
            now -= waitMs * MS;
            now += spanMs * MS / count;
        }
        now += waitMs * MS;
    }

    @Test
    void aQuietGatewayIsNotBehind() {
        assertFalse(delay.behind());
        work(50, 1, 600);
        assertFalse(delay.behind());
    }

    @Test
    void aStandingWaitOverTheTargetForAWholeIntervalIsBehind() {
        work(40, 150, 600);
        work(40, 150, 600);
        assertTrue(delay.behind(), "every start in the interval waited 150 ms");
    }

    @Test
    void oneShortWaitInTheIntervalMeansTheQueueDrainsAndIsNotOverload() {
        work(40, 300, 400);
        work(1, 1, 1);
        work(40, 300, 400);
        assertFalse(delay.behind(), "a burst (or a GC pause) that drains within the interval");
    }

    @Test
    void aFewSlowStartsAreNotAQueue() {
        work(WorkQueueDelay.MIN_STARTS - 2, 150, 600);
        work(1, 150, 1);
        assertFalse(delay.behind());
    }

    @Test
    void theVerdictLapsesWhenNoWorkComes() {
        work(40, 150, 600);
        work(40, 150, 600);
        assertTrue(delay.behind());
        now += 1_100 * MS;
        assertFalse(delay.behind(), "two intervals without a start and nothing waiting");
    }

    @Test
    void theVerdictClearsAtTheFirstIntervalWithAShortWait() {
        work(40, 150, 600);
        work(40, 150, 600);
        assertTrue(delay.behind());
        work(40, 1, 600);
        work(1, 1, 1);
        assertFalse(delay.behind());
    }

    @Test
    void workWaitingAWholeIntervalWithNothingStartingIsBehind() {
        work(5, 1, 100);
        delay.submitted();
        now += 400 * MS;
        assertFalse(delay.behind(), "waiting less than an interval");
        now += 200 * MS;
        assertTrue(delay.behind(), "every thread stuck for longer than an interval");
    }

    @Test
    void workNewlySubmittedAfterAQuietSpellIsNotTakenForAStall() {
        now += 60_000 * MS;
        delay.submitted();
        assertFalse(delay.behind(), "the last start is old but the work only just came");
    }

    @Test
    void withdrawnWorkNoLongerCountsAsWaiting() {
        delay.submitted();
        delay.withdrawn();
        now += 2_000 * MS;
        assertFalse(delay.behind());
    }

    @Test
    void offIsNeverBehind() {
        WorkQueueDelay off = new WorkQueueDelay(Duration.ZERO, Duration.ZERO, () -> now);
        off.submitted();
        now += 60_000 * MS;
        assertFalse(off.behind());
    }
}

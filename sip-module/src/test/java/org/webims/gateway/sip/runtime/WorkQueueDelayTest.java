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

    private boolean everBehind;
    private boolean alwaysBehind = true;

    /**
     * {@code count} pieces of work, each started {@code waitMs} after it was submitted, their starts spread over
     * {@code spanMs}; whether the gateway was found behind at any start is kept in {@link #everBehind}, whether at
     * every start in {@link #alwaysBehind}.
     */
    private void work(int count, long waitMs, long spanMs) {
        for (int i = 0; i < count; i++) {
            long submitted = now - waitMs * MS;
            delay.submitted();
            delay.started(submitted);
            boolean behind = delay.behind();
            everBehind |= behind;
            alwaysBehind &= behind;
            now += spanMs * MS / count;
        }
    }

    /** One piece of work that waits, as under a standing queue, throughout the work that follows. */
    private void queueStands() {
        delay.submitted();
    }

    @Test
    void aQuietGatewayIsNotBehind() {
        assertFalse(delay.behind());
        work(50, 1, 600);
        assertFalse(delay.behind());
    }

    @Test
    void aStandingWaitOverTheTargetForAWholeIntervalIsBehind() {
        queueStands();
        work(40, 150, 600);
        work(40, 150, 600);
        assertTrue(delay.behind(), "every start in the interval waited 150 ms");
    }

    @Test
    void oneShortWaitInTheIntervalMeansTheQueueDrainsAndIsNotOverload() {
        queueStands();
        work(40, 300, 400);
        work(1, 1, 1);
        work(40, 300, 400);
        work(1, 1, 1);
        work(40, 300, 400);
        assertFalse(everBehind, "bursts (or GC pauses) that drain within the interval, never behind at any moment");
    }

    @Test
    void slowStartsAreBehindOnlyOnceTheyHaveLastedAWholeInterval() {
        queueStands();
        work(30, 150, 450);
        assertFalse(everBehind, "450 ms of slow starts");
        work(10, 150, 150);
        assertTrue(delay.behind(), "600 ms of them");
    }

    @Test
    void aFewSlowStartsAreNotAQueue() {
        queueStands();
        work(WorkQueueDelay.MIN_STARTS - 2, 150, 1200);
        work(1, 150, 1);
        assertFalse(everBehind);
    }

    @Test
    void theVerdictLapsesWhenNoWorkComes() {
        queueStands();
        work(40, 150, 600);
        work(40, 150, 600);
        assertTrue(delay.behind());
        delay.started(now - 150 * MS);
        now += 600 * MS;
        assertFalse(delay.behind(), "an interval without a start and nothing waiting");
    }

    @Test
    void theVerdictClearsAtTheFirstShortWait() {
        queueStands();
        work(40, 150, 600);
        work(40, 150, 600);
        assertTrue(delay.behind());
        work(1, 1, 1);
        assertFalse(delay.behind());
    }

    @Test
    void theVerdictLastsWhileSlowStartsGoOn() {
        queueStands();
        work(40, 150, 600);
        assertTrue(delay.behind());
        alwaysBehind = true;
        work(40, 150, 600);
        assertTrue(alwaysBehind, "behind at every slow start, not only at the end");
    }

    @Test
    void theVerdictNeverHoldsOverAnEmptyQueue() {
        queueStands();
        work(40, 150, 600);
        work(40, 150, 600);
        assertTrue(delay.behind());
        delay.started(now - 150 * MS); // the last waiting piece of work starts, late: the queue has drained
        assertFalse(delay.behind(), "nothing waits: a new request would start at once");
        queueStands();
        assertTrue(delay.behind(), "work waits again while the slow starts' verdict runs");
    }

    @Test
    void workWaitingAWholeIntervalWithNothingStartingIsBehind() {
        work(5, 1, 100);
        delay.submitted();
        now += 400 * MS;
        assertFalse(delay.behind(), "waiting less than an interval");
        now += 200 * MS;
        assertTrue(delay.behind(), "every thread stuck for longer than an interval");
        work(1, 700, 10); // the stuck work starts at last, before the refusal's line is written
        assertTrue(delay.evidence().endsWith("; last stall 10 ms ago, nothing started for 620 ms"), delay.evidence());
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
    void theEvidenceSaysWhatTheVerdictRestsOn() {
        assertEquals("no start over the target since the last on time; last start 0 ms ago; 0 waiting; verdict for"
                + " 0 ms more", delay.evidence());
        queueStands();
        work(40, 150, 600);
        assertTrue(delay.behind());
        assertEquals("40 start(s) in a row over the target, for 600 ms; last start 15 ms ago; 1 waiting, since 600 ms;"
                + " verdict for 485 ms more; last verdict 90 ms ago, on 35 start(s) over the target for 510 ms",
                delay.evidence());
    }

    @Test
    void theEvidenceKeepsWhatTheLastVerdictRestedOnAfterAStartOnTimeClearedIt() {
        queueStands();
        work(40, 150, 600);
        assertTrue(delay.behind());
        work(1, 1, 10); // the refusal's 503 left; a start on time came before its log line was written
        assertFalse(delay.behind());
        assertEquals("no start over the target since the last on time; last start 10 ms ago; 1 waiting, since 610 ms;"
                + " verdict for 0 ms more; last verdict 100 ms ago, on 35 start(s) over the target for 510 ms",
                delay.evidence());
    }

    /** The rule in sequence (the interleavings the atomic run rules out are not driven here). */
    @Test
    void aRunOfSlowStartsAfterAStartOnTimeCountsFromItsOwnFirst() {
        queueStands();
        work(10, 150, 400); // a run, then the queue drains
        work(1, 1, 10);
        work(20, 150, 100); // a burst of 20 slow starts over 100 ms: not an interval, whatever came before
        assertFalse(everBehind);
        assertTrue(delay.evidence().startsWith("20 start(s) in a row over the target, for 100 ms"), delay.evidence());
    }

    @Test
    void offIsNeverBehind() {
        WorkQueueDelay off = new WorkQueueDelay(Duration.ZERO, Duration.ZERO, () -> now);
        off.submitted();
        now += 60_000 * MS;
        assertFalse(off.behind());
    }
}

package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stack's timer contract on the wheel: once, again after each run, cancelled, failing, stopped. */
class WheelSipTimerTest {
    private final WheelSipTimer timer = new WheelSipTimer();

    @BeforeEach
    void start() {
        timer.start(null, new Properties());
    }

    @AfterEach
    void stop() {
        timer.stop();
    }

    @Test
    void aTaskRunsOnceOnTheTimersThread() throws Exception {
        Counting task = new Counting(1);
        assertTrue(timer.schedule(task, 20));
        assertTrue(task.ran.await(5, TimeUnit.SECONDS));
        assertEquals("sip-stack-timer", task.thread);
        // the next tick, and more, runs it no more
        Counting witness = new Counting(1);
        timer.schedule(witness, 50);
        assertTrue(witness.ran.await(5, TimeUnit.SECONDS));
        assertEquals(1, task.runs.get());
        assertFalse(timer.cancel(task), "nothing left to prevent");
        assertEquals(1, task.cleanUps.get(), "the stack's clean-up still runs once, as on its default timer");
    }

    @Test
    void aPeriodicTaskRunsAgainUntilCancelledAndCleansUpOnce() throws Exception {
        Counting task = new Counting(3);
        timer.scheduleWithFixedDelay(task, 0, 10);
        assertTrue(task.ran.await(5, TimeUnit.SECONDS));
        assertTrue(timer.cancel(task));
        assertFalse(timer.cancel(task), "a second cancel changes nothing");
        int runs = task.runs.get();
        Counting witness = new Counting(1);
        timer.schedule(witness, 100); // ten periods later
        assertTrue(witness.ran.await(5, TimeUnit.SECONDS));
        assertTrue(task.runs.get() <= runs + 1, "at most the run under way when cancelled: " + task.runs.get());
        assertEquals(1, task.cleanUps.get());
    }

    @Test
    void aOneShotTaskCancelledBeforeItsTimeNeverRuns() throws Exception {
        Counting task = new Counting(1);
        timer.schedule(task, 1_000); // a second: the cancel on the next line comes first even on a loaded machine
        assertTrue(timer.cancel(task));
        Counting witness = new Counting(1);
        timer.schedule(witness, 1_200);
        assertTrue(witness.ran.await(5, TimeUnit.SECONDS));
        assertEquals(0, task.runs.get());
        assertEquals(1, task.cleanUps.get());
    }

    @Test
    void aPeriodicTaskThatThrowsGoesOnAndTheTimerWithIt() throws Exception {
        Counting task = new Counting(3) {
            @Override
            public void runTask() {
                super.runTask();
                throw new IllegalStateException("a stack bug");
            }
        };
        timer.scheduleWithFixedDelay(task, 0, 10);
        assertTrue(task.ran.await(5, TimeUnit.SECONDS), "ran " + task.runs.get() + " time(s)");
        timer.cancel(task);
        Counting after = new Counting(1);
        timer.schedule(after, 0);
        assertTrue(after.ran.await(5, TimeUnit.SECONDS));
    }

    @Test
    void noTaskIsTakenOnceStopped() {
        timer.stop();
        assertFalse(timer.isStarted());
        assertThrows(IllegalStateException.class, () -> timer.schedule(new Counting(1), 0));
        assertThrows(IllegalStateException.class, () -> timer.scheduleWithFixedDelay(new Counting(1), 0, 10));
    }

    @Test
    void aPeriodOfZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> timer.scheduleWithFixedDelay(new Counting(1), 0, 0));
    }

    /** Counts its runs and clean-ups; {@link #ran} opens after {@code expected} runs. */
    private static class Counting extends SIPStackTimerTask {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger cleanUps = new AtomicInteger();
        final CountDownLatch ran;
        volatile String thread;

        Counting(int expected) {
            ran = new CountDownLatch(expected);
        }

        @Override
        public void runTask() {
            thread = Thread.currentThread().getName();
            runs.incrementAndGet();
            ran.countDown();
        }

        @Override
        public void cleanUpBeforeCancel() {
            cleanUps.incrementAndGet();
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }
}

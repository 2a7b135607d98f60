package org.webims.gateway.ports.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallTimersTest {
    private final ScheduledThreadPoolExecutor timers = CallTimers.start(Executors.defaultThreadFactory(), "t", 1);

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void aCancelledTimerLeavesTheQueueAndNoLongerHoldsItsCall() throws Exception {
        List<ScheduledFuture<?>> armed = new ArrayList<>();
        WeakReference<Object> held = arm(armed);
        assertEquals(2, timers.getQueue().size());

        armed.forEach(timer -> timer.cancel(false));

        assertTrue(timers.getQueue().isEmpty(), "cancelled timers are gone from the queue");
        for (int i = 0; i < 50 && held.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(held.get() == null, "nothing holds the call of a cancelled timer");
    }

    /** A call's duration limit and interim timer, each holding the call; only the timers keep it. */
    private WeakReference<Object> arm(List<ScheduledFuture<?>> armed) {
        Object call = new byte[1 << 20];
        armed.add(timers.schedule(() -> call.hashCode(), 1, TimeUnit.HOURS));
        armed.add(timers.scheduleAtFixedRate(() -> call.hashCode(), 5, 5, TimeUnit.MINUTES));
        return new WeakReference<>(call);
    }

    @Test
    void timersRunOnNamedThreadsAndStopWithTheirOwner() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        String[] name = new String[1];
        timers.schedule(() -> {
            name[0] = Thread.currentThread().getName();
            ran.countDown();
        }, 10, TimeUnit.MILLISECONDS);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertEquals("t-1", name[0]);

        timers.schedule(() -> { }, 1, TimeUnit.HOURS);
        timers.shutdown();
        assertTrue(timers.awaitTermination(5, TimeUnit.SECONDS), "a pending timer does not hold up the stop");
        ScheduledFuture<?> late = timers.schedule(() -> { }, 1, TimeUnit.MILLISECONDS);
        assertTrue(!late.isDone() && late.cancel(false), "a timer set after the stop is dropped, not thrown at its caller");
    }
}

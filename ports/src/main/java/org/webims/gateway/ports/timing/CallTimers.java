package org.webims.gateway.ports.timing;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler of timers that are set per call and mostly cancelled: a call's longest duration, its session refresh,
 * its credit's validity and Tx, its interim accounting records. A cancelled timer leaves the queue at once
 * ({@link ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy}), so the queue holds the timers of live calls only.
 * The server's managed scheduler keeps a cancelled task, and the call its closure holds, until the time the task
 * was set for: with a one-hour duration limit every call of the hour stayed in the heap (9,044 ended calls and 385 MB
 * live after a full GC, after 90 s at 100 calls/s with policy and charging on; the collector marked the heap without
 * pause). Its tasks must not block: they hand work on (to a call's serial executor, Diameter's event loop, the
 * managed executor). A timer set after the stop is dropped: its owner is going, nothing would run it.
 */
public final class CallTimers {
    private CallTimers() {}

    /**
     * A scheduler of {@code size} threads made by {@code threads} (the server's managed thread factory), named
     * {@code name-N}; stop it with {@code shutdownNow()} when its owner stops.
     */
    public static ScheduledThreadPoolExecutor start(ThreadFactory threads, String name, int size) {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(size, task -> {
            Thread thread = threads.newThread(task);
            thread.setName(name + "-" + count.incrementAndGet());
            return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
        timers.setRemoveOnCancelPolicy(true);
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timers.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        timers.prestartAllCoreThreads(); // made now, by the owner, not later by whichever thread sets the first timer
        return timers;
    }
}

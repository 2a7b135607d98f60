package org.webims.gateway.sip.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * How long work waits in one of the gateway's queues for a thread (the application executor's, or the SIP stack's
 * for datagrams from the IMS core): the gateway's own overload signal. When the CPU cannot keep up, this wait grows
 * before anything else shows it. The door ({@code RefusalShare}) reads, once per control interval, how long work
 * handed over now would wait: what waits, at the rate work started in the interval (Little's law, as RFC 8033 §4.3
 * estimates a queue's delay: the wait of what starts lags the queue by that very wait, and a controller following it
 * overshoots); and whether the queue has <em>stalled</em>: work waiting a whole interval with nothing starting at all
 * (every thread stuck). Lock-free: it is written at every hand-off and start.
 */
public final class WorkQueueDelay {
    private final long targetNanos;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder starts = new LongAdder();
    private volatile long lastStart;
    private volatile long waitingSince;
    private long lastRead; // the one reader's

    /**
     * @param target the longest wait that is not yet a sign of overload; zero turns the signal off
     * @param interval how long work may wait with nothing starting before the queue counts as stalled
     */
    public WorkQueueDelay(Duration target, Duration interval, LongSupplier nanoClock) {
        if (target.isNegative() || interval.isNegative() || (!target.isZero() && interval.isZero())) {
            throw new IllegalArgumentException("target " + target + ", interval " + interval);
        }
        this.targetNanos = target.toNanos();
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.lastStart = now;
        this.waitingSince = now;
        this.lastRead = now;
    }

    /** The default: stalled after five times the target with nothing starting. */
    public static WorkQueueDelay of(Duration target) {
        return new WorkQueueDelay(target, target.multipliedBy(5), System::nanoTime);
    }

    /** Never stalled, never a wait. */
    public static WorkQueueDelay off() {
        return new WorkQueueDelay(Duration.ZERO, Duration.ZERO, System::nanoTime);
    }

    /** Work was handed to the executor; returns the time to give {@link #started} when it runs. */
    public long submitted() {
        long now = nanoClock.getAsLong();
        if (waiting.get() == 0) {
            waitingSince = now; // written before the count says anything waits, so no reader sees an old stamp
        }
        waiting.incrementAndGet();
        return now;
    }

    /** The executor refused work {@link #submitted} (it is shutting down): it will never start. */
    public void withdrawn() {
        waiting.decrementAndGet();
    }

    /** The work submitted at {@code submittedAt} got a thread. */
    public void started(long submittedAt) {
        long now = nanoClock.getAsLong();
        lastStart = now; // before the count: a reader that sees the count drop never sees an old start with it
        waiting.decrementAndGet();
        if (targetNanos != 0) {
            starts.increment();
        }
    }

    /**
     * What the queue is like since the last call: how many pieces of work started, and how long work handed over
     * now would wait, that is what waits now at the rate work started (or, when nothing started while work waits,
     * how long nothing has started). One reader only ({@code RefusalShare}).
     */
    public Waits waitsSinceLast() {
        long now = nanoClock.getAsLong();
        long elapsed = Math.max(1, now - lastRead);
        lastRead = now;
        long count = starts.sumThenReset();
        int queued = waiting();
        if (targetNanos == 0) {
            return new Waits(0, 0);
        }
        if (count > 0) {
            return new Waits((long) ((double) queued * elapsed / count), (int) Math.min(Integer.MAX_VALUE, count));
        }
        if (queued > 0) {
            return new Waits(now - Math.max(lastStart, waitingSince), 0);
        }
        return new Waits(0, 0);
    }

    /** Whether work has waited a whole interval with nothing starting: every thread stuck. */
    public boolean stalled() {
        if (targetNanos == 0) {
            return false;
        }
        long now = nanoClock.getAsLong();
        return waiting.get() > 0 && now - lastStart > intervalNanos && now - waitingSince > intervalNanos;
    }

    /** Pieces of work waiting for a thread now. */
    public int waiting() {
        return Math.max(0, waiting.get());
    }

    public Duration target() {
        return Duration.ofNanos(targetNanos);
    }

    /**
     * What a control interval saw.
     *
     * @param expectedNanos how long work handed over now would wait: what waits at the rate work started, or how
     *                      long nothing started while work waited
     * @param starts        how many pieces of work started
     */
    public record Waits(long expectedNanos, int starts) {}
}

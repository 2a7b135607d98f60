package org.webims.gateway.sip.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How long SIP work waits for a thread of the application executor: the gateway's own overload signal. When the
 * CPU cannot keep up, this wait grows before anything else shows it; new sessions are then refused at the door
 * (503 with Retry-After, RFC 7339 §1) so that what is already accepted still gets the CPU.
 *
 * <p>The verdict follows the standing queue, not a burst (the idea of CoDel, RFC 8289 §4.2): the gateway is
 * <em>behind</em> once every piece of work that started during a whole interval had waited longer than the target,
 * or when work has been waiting for a whole interval and none started at all meanwhile (every thread stuck). A
 * GC pause or a burst that drains within the interval leaves at least one short wait in it and changes nothing.
 * The verdict lapses after two intervals without a new one, so a quiet gateway is never found behind on old
 * evidence. Lock-free: two counters and a few volatile words per task.
 */
public final class WorkQueueDelay {
    /** Fewest starts in an interval for a verdict of "behind" from it: a handful of slow starts is not a queue. */
    static final int MIN_STARTS = 16;

    private final long targetNanos;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong shortestInInterval = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger startsInInterval = new AtomicInteger();
    private final AtomicLong intervalEnd;
    private volatile long lastStart;
    private volatile long waitingSince;
    private volatile long behindUntil;

    /**
     * @param target the longest wait that is not yet a sign of overload; zero turns the signal off
     * @param interval how long the wait must stay above the target
     */
    public WorkQueueDelay(Duration target, Duration interval, LongSupplier nanoClock) {
        if (target.isNegative() || interval.isNegative() || (!target.isZero() && interval.isZero())) {
            throw new IllegalArgumentException("target " + target + ", interval " + interval);
        }
        this.targetNanos = target.toNanos();
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.intervalEnd = new AtomicLong(now + intervalNanos);
        this.lastStart = now;
        this.behindUntil = now;
    }

    /** The default: a standing wait of {@code target} for five times as long. */
    public static WorkQueueDelay of(Duration target) {
        return new WorkQueueDelay(target, target.multipliedBy(5), System::nanoTime);
    }

    /** Never behind. */
    public static WorkQueueDelay off() {
        return new WorkQueueDelay(Duration.ZERO, Duration.ZERO, System::nanoTime);
    }

    /** Work was handed to the executor; returns the time to give {@link #started} when it runs. */
    public long submitted() {
        long now = nanoClock.getAsLong();
        if (waiting.getAndIncrement() == 0) {
            waitingSince = now;
        }
        return now;
    }

    /** The work submitted at {@code submittedAt} got a thread. */
    public void started(long submittedAt) {
        long now = nanoClock.getAsLong();
        waiting.decrementAndGet();
        lastStart = now;
        if (targetNanos == 0) {
            return;
        }
        shortestInInterval.accumulateAndGet(now - submittedAt, Math::min);
        startsInInterval.incrementAndGet();
        long end = intervalEnd.get();
        if (now - end >= 0 && intervalEnd.compareAndSet(end, now + intervalNanos)) {
            long shortest = shortestInInterval.getAndSet(Long.MAX_VALUE);
            int starts = startsInInterval.getAndSet(0);
            if (shortest > targetNanos && starts >= MIN_STARTS) {
                behindUntil = now + 2 * intervalNanos;
            } else {
                behindUntil = now;
            }
        }
    }

    /** The executor refused work {@link #submitted} (it is shutting down): it will never start. */
    public void withdrawn() {
        waiting.decrementAndGet();
    }

    /** Whether new work is to be refused now. */
    public boolean behind() {
        if (targetNanos == 0) {
            return false;
        }
        long now = nanoClock.getAsLong();
        if (behindUntil - now > 0) {
            return true;
        }
        return waiting.get() > 0 && now - lastStart > intervalNanos && now - waitingSince > intervalNanos;
    }

    /** Pieces of work waiting for a thread now. */
    public int waiting() {
        return Math.max(0, waiting.get());
    }

    public Duration target() {
        return Duration.ofNanos(targetNanos);
    }
}

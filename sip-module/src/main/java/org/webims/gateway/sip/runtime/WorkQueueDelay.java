package org.webims.gateway.sip.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * How long SIP work waits for a thread of the application executor: the gateway's own overload signal. When the
 * CPU cannot keep up, this wait grows before anything else shows it; new sessions are then refused at the door
 * (503 with Retry-After, RFC 7339 §1) so that what is already accepted still gets the CPU.
 *
 * <p>The verdict follows a standing queue, not a burst, as CoDel does (RFC 8289 §4.2, "first above time"): any start
 * that waited less than the target means the queue drains and clears the verdict at once; the gateway is
 * <em>behind</em> only once every start for a whole interval (and at least {@link #MIN_STARTS} of them) waited
 * longer than the target, or when work has been waiting for a whole interval with nothing starting at all (every
 * thread stuck). A GC pause or a burst shorter than the interval never makes it behind. The verdict lapses an
 * interval after the last slow start, so a quiet gateway is never found behind on old evidence, and it never holds
 * while nothing waits: an empty queue is no standing queue. Lock-free.
 */
public final class WorkQueueDelay {
    /** Fewest slow starts in a row for a verdict of "behind": a handful of slow starts is not a queue. */
    static final int MIN_STARTS = 16;
    private static final long NOT_ABOVE = Long.MIN_VALUE;

    private final long targetNanos;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger slowStarts = new AtomicInteger();
    private volatile long aboveSince = NOT_ABOVE;
    private volatile long lastStart;
    private volatile long waitingSince;
    private volatile long behindUntil;

    /**
     * @param target the longest wait that is not yet a sign of overload; zero turns the signal off
     * @param interval how long every wait must stay above the target
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
        if (targetNanos == 0) {
            return;
        }
        if (now - submittedAt < targetNanos) {
            aboveSince = NOT_ABOVE; // the queue drains: whatever stood before is gone
            slowStarts.set(0);
            behindUntil = now;
            return;
        }
        long since = aboveSince;
        if (since == NOT_ABOVE) {
            aboveSince = now;
            slowStarts.set(1);
            return;
        }
        if (slowStarts.incrementAndGet() >= MIN_STARTS && now - since >= intervalNanos) {
            behindUntil = now + intervalNanos;
        }
    }

    /** Whether new work is to be refused now. */
    public boolean behind() {
        if (targetNanos == 0) {
            return false;
        }
        if (waiting.get() <= 0) {
            // nothing waits: whatever queue stood has drained, and the next piece of work starts at once (a verdict
            // still running from the last slow start refused single requests into an empty queue, note 20 §1)
            return false;
        }
        long now = nanoClock.getAsLong();
        if (behindUntil - now > 0) {
            return true;
        }
        return now - lastStart > intervalNanos && now - waitingSince > intervalNanos;
    }

    /**
     * What the verdict rests on now, for the line that logs a refusal: the slow starts in a row and how long they have
     * lasted, when work last started, since when work waits, how long the verdict still holds. A refusal with no
     * standing queue behind it (the soaks' single refusals, note 22) is then told from one with.
     */
    public String evidence() {
        long now = nanoClock.getAsLong();
        long since = aboveSince;
        int waitingNow = waiting.get();
        return (since == NOT_ABOVE ? "no start over the target since the last on time"
                : slowStarts.get() + " start(s) in a row over the target, for " + millis(now - since) + " ms")
                + "; last start " + millis(now - lastStart) + " ms ago; " + Math.max(0, waitingNow) + " waiting"
                + (waitingNow > 0 ? ", since " + millis(now - waitingSince) + " ms" : "")
                + "; verdict for " + Math.max(0, millis(behindUntil - now)) + " ms more";
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** Pieces of work waiting for a thread now. */
    public int waiting() {
        return Math.max(0, waiting.get());
    }

    public Duration target() {
        return Duration.ofNanos(targetNanos);
    }
}

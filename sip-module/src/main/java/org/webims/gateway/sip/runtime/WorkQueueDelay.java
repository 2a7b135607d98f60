package org.webims.gateway.sip.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * Starts over the target with none on time since: {@code since} the first of them; once they are a standing queue,
     * the verdict of behind holds {@code until} an interval after the last ({@code verdict}).
     */
    private record SlowRun(long since, int starts, boolean verdict, long until) {
        SlowRun counted(long now, long intervalNanos) {
            int count = starts + 1;
            return count >= MIN_STARTS && now - since >= intervalNanos ? new SlowRun(since, count, true,
                    now + intervalNanos) : new SlowRun(since, count, verdict, until);
        }

        boolean behind(long now) {
            return verdict && until - now > 0;
        }
    }

    /** What the last verdict of behind rested on, when it was reached. */
    private record Verdict(long at, SlowRun run) {
    }

    /** Work found waiting a whole interval {@code at}, nothing having started since {@code lastStart}. */
    private record Stall(long at, long lastStart) {
    }

    private final long targetNanos;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicInteger waiting = new AtomicInteger();
    /**
     * The run of slow starts now and its verdict, or null after a start on time. One reference, replaced whole: with
     * the first stamp, the count and the verdict's end in separate fields, a start preempted between reading and
     * writing them could count itself into a later run with the first stamp of an earlier one, or set a verdict again
     * just after a start on time had cleared it.
     */
    private final AtomicReference<SlowRun> slowRun = new AtomicReference<>();
    /** When a start on time last ended a run: a new run never begins before it. */
    private volatile long clearedAt;
    private volatile Verdict lastVerdict;
    private volatile Stall lastStall;
    private volatile long lastStart;
    private volatile long waitingSince;

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
        this.clearedAt = now;
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
            clearedAt = now;
            slowRun.set(null); // the queue drains: whatever stood before is gone, its verdict with it
            return;
        }
        SlowRun before;
        SlowRun after;
        do {
            before = slowRun.get();
            after = before == null ? new SlowRun(Math.max(now, clearedAt), 1, false, 0) // a clock read before a clear
                    : before.counted(now, intervalNanos);
        } while (!slowRun.compareAndSet(before, after));
        if (after.verdict() && (before == null || !before.behind(now))) {
            lastVerdict = new Verdict(now, after); // kept: the refusal's log line is written after its 503 left
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
        SlowRun run = slowRun.get();
        if (run != null && run.behind(now)) {
            return true;
        }
        long started = lastStart;
        if (now - started > intervalNanos && now - waitingSince > intervalNanos) {
            Stall stall = lastStall;
            if (stall == null || stall.lastStart() != started) { // once per stall, not per request refused in it
                lastStall = new Stall(now, started); // kept for the refusal's log line, as a verdict is
            }
            return true;
        }
        return false;
    }

    /**
     * What the verdict rests on now, for the line that logs a refusal: the slow starts in a row and how long they have
     * lasted, when work last started, since when work waits, how long the verdict still holds, and what the last
     * verdict of a standing queue rested on when it was reached (the line is written after the refusal, by when a
     * start on time may have cleared it). A refusal with no standing queue behind it (the soaks' single refusals,
     * notes 22 and 23) is then told from one with.
     */
    public String evidence() {
        long now = nanoClock.getAsLong();
        SlowRun run = slowRun.get();
        int waitingNow = waiting.get();
        Verdict verdict = lastVerdict;
        Stall stall = lastStall;
        return (run == null ? "no start over the target since the last on time"
                : run.starts() + " start(s) in a row over the target, for " + millis(now - run.since()) + " ms")
                + "; last start " + millis(now - lastStart) + " ms ago; " + Math.max(0, waitingNow) + " waiting"
                + (waitingNow > 0 ? ", since " + millis(now - waitingSince) + " ms" : "")
                + "; verdict for " + (run != null && run.behind(now) ? millis(run.until() - now) : 0) + " ms more"
                + (verdict == null ? "" : "; last verdict " + millis(now - verdict.at()) + " ms ago, on "
                        + verdict.run().starts() + " start(s) over the target for "
                        + millis(verdict.at() - verdict.run().since()) + " ms")
                + (stall == null ? "" : "; last stall " + millis(now - stall.at()) + " ms ago, nothing started for "
                        + millis(stall.at() - stall.lastStart()) + " ms");
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

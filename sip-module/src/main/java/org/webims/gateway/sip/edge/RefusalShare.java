package org.webims.gateway.sip.edge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.webims.gateway.sip.runtime.WorkQueueDelay;

/**
 * The share of new requests the door refuses (RFC 7339 §5, loss-based overload control, applied by this server on
 * behalf of clients that cannot: a browser's SIP stack knows no "oc" parameter). Once per control interval (the
 * queues' target wait) it reads how long work handed to each queue now would wait ({@link WorkQueueDelay}) and moves
 * the share as RFC 8033 (PIE) moves its drop probability: by how far the longest of those waits is over or under the
 * target and by how much it grew or fell since the last interval, once the wait has been over the target for {@link
 * #BURST_ALLOWANCE} intervals in a row; while every queue stays under half the target the share halves each interval.
 * New requests are then refused at random in that share (RFC 7339 §5.4), and all of them while a queue has stalled.
 *
 * <p>Why a share and not a verdict: a door that is either shut or open lets the whole offered load in the moment it
 * opens, which past capacity builds a backlog of seconds before the wait shows it again; the accepted work then waits
 * so long that the core's answers come after the retransmissions they cause (RFC 3261 §17.1.2.2, Timer E) and the
 * goodput falls. A share that follows the wait keeps the queues near the target and lets in what the CPU can do.
 * Read without a lock on every receiving thread; the first that sees an interval end adjusts it under a lock that
 * no other thread waits for.
 */
public final class RefusalShare {
    /** How much the share moves per target of wait over the target (RFC 8033 §4.2's alpha). */
    static final double ALPHA = 0.025;
    /** How much the share moves per target the wait grew since the last interval (RFC 8033 §4.2's beta). */
    static final double BETA = 0.25;
    /** The factor on the share after each interval whose waits, and the last one's, were under half the target. */
    static final double LOWER = 0.5;
    /** A share under this is no share: everything is let in again. */
    static final double FLOOR = 0.01;
    /**
     * Intervals in a row over the target before refusing starts (after RFC 8033 §4.4's burst allowance): a burst, the JIT
     * compiling a fresh server or a GC pause is absorbed, as a queue standing this long is not.
     */
    static final int BURST_ALLOWANCE = 5;
    /**
     * Fewest starts in an interval that say how fast a queue with work waiting drains (fewer: a pause, or hardly any
     * traffic); such a reading may not lower the share, as the queue behind may be that one.
     */
    static final int MIN_STARTS = 16;

    private final List<WorkQueueDelay> queues;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final DoubleSupplier random;
    private final ReentrantLock adjusting = new ReentrantLock();
    private volatile long nextAdjustment;
    private volatile double share;
    private volatile long[] lastReadings;
    private long lastWait; // these two: only under the lock
    private int intervalsOver;

    RefusalShare(List<WorkQueueDelay> queues, Duration target, LongSupplier nanoClock, DoubleSupplier random) {
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("no queue to watch");
        }
        this.queues = List.copyOf(queues);
        this.intervalNanos = target.toNanos();
        this.nanoClock = nanoClock;
        this.random = random;
        this.nextAdjustment = nanoClock.getAsLong() + intervalNanos;
        this.lastReadings = new long[queues.size()];
    }

    /** A reading that said nothing: too few starts to tell how fast its queue drains while work waited. */
    public static final long UNKNOWN = -1;

    /**
     * @param target   the queues' target wait (gateway.sip.max-queue-delay-ms), also the control interval; zero:
     *                 never refuse
     * @param work     SIP work waiting for a worker
     * @param received datagrams from the IMS core waiting for the SIP stack's threads
     */
    public static RefusalShare of(Duration target, WorkQueueDelay work, WorkQueueDelay received) {
        return new RefusalShare(List.of(work, received), target, System::nanoTime, () -> ThreadLocalRandom.current()
                .nextDouble());
    }

    /** Whether this new request is one of those refused now. */
    public boolean refuseNext() {
        if (intervalNanos == 0) {
            return false;
        }
        adjustWhenDue();
        if (stalled()) {
            return true;
        }
        double now = share;
        return now > 0 && random.getAsDouble() < now;
    }

    /** Whether a queue has work waiting with nothing starting for a whole interval: every new request is refused. */
    public boolean stalled() {
        for (WorkQueueDelay queue : queues) {
            if (queue.stalled()) {
                return true;
            }
        }
        return false;
    }

    /** The share refused now, 0 to 1. */
    public double share() {
        return share;
    }

    /**
     * How long work handed to each queue (in the order given) would have waited at the last adjustment, ms, or
     * {@link #UNKNOWN}.
     */
    public long[] lastWaitsMillis() {
        long[] readings = lastReadings.clone();
        for (int i = 0; i < readings.length; i++) {
            readings[i] = readings[i] == UNKNOWN ? UNKNOWN : Duration.ofNanos(readings[i]).toMillis();
        }
        return readings;
    }

    public Duration target() {
        return Duration.ofNanos(intervalNanos);
    }

    private void adjustWhenDue() {
        long now = nanoClock.getAsLong();
        if (now - nextAdjustment < 0 || !adjusting.tryLock()) {
            return;
        }
        try { // under the lock: a winner descheduled past the next interval never races the one after it
            long due = nextAdjustment;
            if (now - due >= 0) {
                nextAdjustment = now + intervalNanos;
                adjust(1 + (now - due) / intervalNanos);
            }
        } finally {
            adjusting.unlock();
        }
    }

    private void adjust(long intervals) {
        long[] readings = new long[queues.size()];
        long wait = 0;
        boolean anyKnown = false;
        boolean allKnown = true;
        for (int i = 0; i < readings.length; i++) {
            WorkQueueDelay.Waits waits = queues.get(i).waitsSinceLast();
            // known: enough starts to tell how fast it drains, or nothing starting while work waits, or nothing waits
            boolean known = waits.starts() >= MIN_STARTS || waits.starts() == 0 || waits.expectedNanos() == 0;
            readings[i] = known ? waits.expectedNanos() : UNKNOWN;
            if (known) {
                wait = Math.max(wait, waits.expectedNanos());
            }
            anyKnown |= known;
            allKnown &= known;
        }
        lastReadings = readings;
        if (intervals > 1 && wait == 0 && allKnown) {
            // a quiet spell (no request, nothing waiting): it decays the share as that many quiet intervals; a gap
            // with work waiting (a GC pause under overload) is read as one long interval instead
            share = next(share, 0, 0, intervals - 1);
            lastWait = 0;
            intervalsOver = 0;
            return;
        }
        if (!anyKnown) {
            return; // a few starts (a pause, or hardly any traffic) with work waiting: the share holds
        }
        intervalsOver = wait > intervalNanos ? intervalsOver + 1 : 0;
        double target = intervalNanos;
        if (share > 0 || intervalsOver >= BURST_ALLOWANCE) {
            double moved = next(share, wait / target, lastWait / target, 1);
            // one queue unknown may be the one behind: the known ones may raise the share, not lower it
            share = allKnown || moved > share ? moved : share;
        }
        lastWait = wait;
    }

    /**
     * RFC 8033 §4.2 (PIE): the share moves with how far the wait is over or under the target and with how it moved
     * since the last interval, waits in units of the target; {@code intervals} quiet ones in a row decay it.
     */
    static double next(double share, double wait, double lastWait, long intervals) {
        if (wait < 0.5 && lastWait < 0.5) {
            double lowered = share * Math.pow(LOWER, Math.min(intervals, 64));
            return lowered < FLOOR ? 0 : lowered;
        }
        double moved = Math.min(1, share + ALPHA * (wait - 1) + BETA * (wait - lastWait));
        return moved < FLOOR ? 0 : moved; // a share left under the floor would skip the burst allowance
    }
}

package org.webims.gateway.sip.liveness;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The requests this gateway sent the IMS core that it has not answered at all yet, by their Via branch (RFC 3261
 * §17.1.3): how far the core is behind. Any response counts, a 100 Trying too: a call ringing for a minute is work the
 * core took, not a sign of overload. Past {@code limit} of them new work is refused early (RFC 7339 §1, the
 * Kamailio/OpenSIPS practice of a bounded transaction load) while what is already accepted goes on. An entry leaves at
 * the first response, or once its transaction can no longer be alive (64*T1, RFC 3261 §17.1.1.2), so a lost response
 * never holds a place for good. Thread-safe without locks; the sweep of old entries runs at most once a second.
 */
public final class CoreBacklog {
    private static final long SWEEP_EVERY_NANOS = Duration.ofSeconds(1).toNanos();
    private final int limit;
    private final long lifetimeNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Long> awaiting = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    /** {@code limit} 0: no bound. */
    public CoreBacklog(int limit, Duration transactionLifetime, LongSupplier nanoClock) {
        if (limit < 0) {
            throw new IllegalArgumentException("the limit of requests awaiting the core is not negative: " + limit);
        }
        this.limit = limit;
        this.lifetimeNanos = transactionLifetime.toNanos();
        this.nanoClock = nanoClock;
        this.nextSweep = new AtomicLong(nanoClock.getAsLong() + SWEEP_EVERY_NANOS);
    }

    /** A request left for the core on the client transaction of this branch. */
    public void sent(String branch) {
        if (branch != null) {
            awaiting.put(branch, nanoClock.getAsLong());
        }
    }

    /** A response came (or it could not be sent). */
    public void answered(String branch) {
        if (branch != null) {
            awaiting.remove(branch);
        }
    }

    /** Whether new work must be refused: {@code limit} requests await the core. */
    public boolean full() {
        sweepIfDue();
        return limit > 0 && awaiting.size() >= limit;
    }

    /** Requests awaiting the core now. */
    public int pending() {
        sweepIfDue();
        return awaiting.size();
    }

    public int limit() {
        return limit;
    }

    private void sweepIfDue() {
        long now = nanoClock.getAsLong();
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + SWEEP_EVERY_NANOS)) {
            awaiting.values().removeIf(sentAt -> now - sentAt > lifetimeNanos);
        }
    }
}

package org.webims.gateway.sip.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WARNING line per period at most for an event that may come thousands of times a second (a refusal under
 * overload), saying how many came since the last line. Lock-free: it is called on receiving threads, where a lock
 * shared by every message would itself become the bottleneck it reports.
 */
public final class PeriodicCountLog {
    private final Logger logger;
    private final long periodNanos;
    private final AtomicLong sinceLastLine = new AtomicLong();
    private final AtomicLong nextLine = new AtomicLong(System.nanoTime());

    public PeriodicCountLog(Logger logger, Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period " + period);
        }
        this.logger = logger;
        this.periodNanos = period.toNanos();
    }

    /** Counts one event; writes {@code line} of the count since the last line when the period has passed. */
    public void record(LongFunction<String> line) {
        sinceLastLine.incrementAndGet();
        long now = System.nanoTime();
        long next = nextLine.get();
        if (now - next >= 0 && nextLine.compareAndSet(next, now + periodNanos)) {
            long count = sinceLastLine.getAndSet(0);
            if (logger.isLoggable(Level.WARNING)) {
                logger.logp(Level.WARNING, logger.getName(), null, line.apply(count)); // the owner's, not this class's
            }
        }
    }
}

package org.webims.gateway.web.sip;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A log line that a client can cause at will, limited to a few per period: the lines over the limit are counted and
 * the count is named on the next line written, so a flood of refused connections costs the log a handful of lines.
 * Thread-safe.
 */
final class RateLimitedLog {
    private final Logger logger;
    private final Level level;
    private final int linesPerPeriod;
    private final Duration period;
    private final Clock clock;
    private Instant periodStart = Instant.MIN; // guarded by this
    private int written; // guarded by this
    private long suppressed; // guarded by this

    RateLimitedLog(Logger logger, Level level, int linesPerPeriod, Duration period, Clock clock) {
        this.logger = logger;
        this.level = level;
        this.linesPerPeriod = linesPerPeriod;
        this.period = period;
        this.clock = clock;
    }

    /** Writes the line unless the period's quota is used; returns whether it was written. */
    boolean log(Supplier<String> line) {
        long before;
        synchronized (this) {
            Instant now = clock.instant();
            if (periodStart == Instant.MIN || !now.isBefore(periodStart.plus(period))) {
                periodStart = now;
                written = 0;
            }
            if (written >= linesPerPeriod) {
                suppressed++;
                return false;
            }
            written++;
            before = suppressed;
            suppressed = 0;
        }
        logger.log(level, () -> line.get() + (before > 0 ? " (" + before + " similar lines suppressed)" : ""));
        return true;
    }
}

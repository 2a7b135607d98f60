package org.webims.gateway.ejb.charging;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One warning per 10 s for a condition every call would otherwise report (a Diameter server unreachable or saturated:
 * a line per refused call would flood the log just when the node is busiest); the others at FINE.
 */
public final class LogThrottle {
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(10);
    private final Logger log;
    private final AtomicLong last = new AtomicLong(System.nanoTime() - INTERVAL - 1);

    public LogThrottle(Logger log) {
        this.log = log;
    }

    public void warning(Supplier<String> message) {
        long now = System.nanoTime();
        long before = last.get();
        if (now - before > INTERVAL && last.compareAndSet(before, now)) {
            log.warning(message);
        } else {
            log.fine(message);
        }
    }
}

package org.webims.gateway.sip.logging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Log lines caused by input from outside (bad requests, refused messages, wrong passwords), limited per cause: the
 * first {@code burst} lines of a cause in each interval are written, the rest counted; the next line of that cause
 * after the interval says how many were suppressed. One line per message, never a stack trace. The causes kept
 * are bounded (least recently used forgotten), so neither the log nor this object grows with an attacker's input.
 */
public final class RateLimitedLog {
    /** Causes tracked at once; the code names a few dozen, this only guards against callers passing input. */
    static final int MAX_CAUSES = 256;
    private static final long SUPPRESSED = -1;
    private static final long FIRST_SUPPRESSED = -2;

    private final Logger logger;
    private final int burst;
    private final Duration interval;
    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_CAUSES;
        }
    };

    public RateLimitedLog(Logger logger, int burst, Duration interval, Clock clock) {
        if (burst < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("burst " + burst + ", interval " + interval);
        }
        this.logger = logger;
        this.burst = burst;
        this.interval = interval;
        this.clock = clock;
    }

    /** Ten lines per cause per minute, the default for bad input. */
    public static RateLimitedLog of(Logger logger) {
        return new RateLimitedLog(logger, 10, Duration.ofMinutes(1), Clock.systemUTC());
    }

    public void warning(String cause, Supplier<String> message) {
        log(Level.WARNING, cause, message);
    }

    public void info(String cause, Supplier<String> message) {
        log(Level.INFO, cause, message);
    }

    /** Writes the message unless this cause already had {@code burst} lines in the current interval. */
    public void log(Level level, String cause, Supplier<String> message) {
        log(level, cause, message, null);
    }

    /**
     * As {@link #log(Level, String, Supplier)}, a failure named in the same line (its class and message); its stack
     * trace only at FINE, for a developer who asks for it.
     */
    public void log(Level level, String cause, Supplier<String> message, Throwable failure) {
        if (!logger.isLoggable(level)) {
            return;
        }
        long suppressedBefore = admit(cause, clock.instant());
        if (suppressedBefore == FIRST_SUPPRESSED) {
            logger.log(level, "More than " + burst + " of " + cause + " in " + interval.toSeconds()
                    + " s: further ones suppressed, counted in the next line of this cause");
            return;
        }
        if (suppressedBefore < 0) {
            return;
        }
        String text = message.get();
        if (failure != null) {
            text += " (" + failure.getClass().getName() + ": " + failure.getMessage() + ")";
            logger.log(Level.FINE, "stack trace of the next line", failure);
        }
        String line = oneLine(text);
        if (suppressedBefore > 0) {
            line += " [" + suppressedBefore + " more of " + cause + " suppressed in the previous "
                    + interval.toSeconds() + " s]";
        }
        logger.log(level, line);
    }

    /**
     * Counts one event of a cause: {@link #SUPPRESSED} or, for the first one suppressed in an interval,
     * {@link #FIRST_SUPPRESSED}; otherwise the number suppressed in the interval before (reported once, with this
     * line).
     */
    synchronized long admit(String cause, Instant now) {
        Window window = windows.computeIfAbsent(cause, c -> new Window(now));
        if (!now.isBefore(window.start.plus(interval))) {
            long suppressed = window.suppressed;
            window.start = now;
            window.written = 1;
            window.suppressed = 0;
            return suppressed;
        }
        if (window.written < burst) {
            window.written++;
            return 0;
        }
        return window.suppressed++ == 0 ? FIRST_SUPPRESSED : SUPPRESSED;
    }

    /** One line of at most 300 characters: control characters (CR, LF from a client's input) become spaces. */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 300));
        for (int i = 0; i < text.length() && out.length() < 300; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (text.length() > 300) {
            out.append("...");
        }
        return out.toString();
    }

    private static final class Window {
        Instant start;
        int written;
        long suppressed;

        Window(Instant start) {
            this.start = start;
        }
    }
}

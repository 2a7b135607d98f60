package org.webims.gateway.web.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {

    @Test
    void linesOverTheQuotaAreCountedAndNamedOnTheNextPeriodsFirstLine() {
        Logger logger = Logger.getLogger("test.ratelimited." + System.nanoTime());
        logger.setUseParentHandlers(false);
        List<String> lines = new ArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        MutableClock clock = new MutableClock();
        RateLimitedLog log = new RateLimitedLog(logger, Level.WARNING, 2, Duration.ofMinutes(1), clock);
        assertTrue(log.log(() -> "one"));
        assertTrue(log.log(() -> "two"));
        assertFalse(log.log(() -> "three"));
        assertFalse(log.log(() -> "four"));
        clock.now = clock.now.plusSeconds(60);
        assertTrue(log.log(() -> "five"));
        assertEquals(List.of("one", "two", "five (2 similar lines suppressed)"), lines);
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package org.webims.gateway.sip.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    private final List<String> lines = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private RateLimitedLog log;

    @BeforeEach
    void setUp() {
        Logger logger = Logger.getLogger("RateLimitedLogTest." + System.nanoTime());
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        log = new RateLimitedLog(logger, 3, Duration.ofSeconds(60), clock);
    }

    @Test
    void writesTheFirstBurstOfACauseThenSuppresses() {
        for (int i = 0; i < 1000; i++) {
            int n = i;
            log.warning("bad-request", () -> "bad request " + n);
        }
        assertEquals(4, lines.size(), "three lines and one saying the rest is suppressed: " + lines);
        assertEquals(List.of("bad request 0", "bad request 1", "bad request 2"), lines.subList(0, 3));
        assertTrue(lines.get(3).startsWith("More than 3 of bad-request in 60 s: further ones suppressed"),
                lines.get(3));
    }

    @Test
    void theNextIntervalSaysHowManyWereSuppressed() {
        for (int i = 0; i < 10; i++) {
            log.warning("bad-request", () -> "bad");
        }
        clock.now = clock.now.plusSeconds(60);
        log.warning("bad-request", () -> "bad again");
        assertEquals(5, lines.size());
        assertTrue(lines.get(4).startsWith("bad again [7 more of bad-request suppressed"), lines.get(4));
    }

    @Test
    void causesAreLimitedSeparately() {
        for (int i = 0; i < 10; i++) {
            log.warning("a", () -> "a");
            log.warning("b", () -> "b");
        }
        assertEquals(8, lines.size(), "three and a notice per cause");
    }

    @Test
    void aMessageIsOneShortLine() {
        log.warning("x", () -> "INVITE sip:a@b SIP/2.0\r\nVia: x\r\n" + "y".repeat(5000));
        assertEquals(1, lines.size());
        assertTrue(!lines.get(0).contains("\n") && !lines.get(0).contains("\r"), lines.get(0));
        assertTrue(lines.get(0).length() <= 303, "length " + lines.get(0).length());
    }

    @Test
    void aFailureIsNamedInTheLineWithoutItsStackTrace() {
        log.log(java.util.logging.Level.WARNING, "parse", () -> "could not parse",
                new IllegalStateException("bad\r\nheader"));
        assertEquals(List.of("could not parse (java.lang.IllegalStateException: bad  header)"), lines);
    }

    @Test
    void theCausesKeptAreBounded() {
        for (int i = 0; i < RateLimitedLog.MAX_CAUSES * 4; i++) {
            log.warning("cause-" + i, () -> "x");
        }
        assertEquals(RateLimitedLog.MAX_CAUSES * 4, lines.size(), "each new cause has its first line");
        // the oldest causes were forgotten: they start a fresh window rather than growing the map
        log.warning("cause-0", () -> "again");
        assertEquals("again", lines.get(lines.size() - 1));
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

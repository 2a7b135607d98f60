package org.webims.gateway.web.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailedLoginThrottleTest {
    private final MutableClock clock = new MutableClock();
    private final FailedLoginThrottle throttle = new FailedLoginThrottle(
            new AdminAccessSettings(3, Duration.ofSeconds(60), Duration.ofSeconds(300), 100, 8443), clock);

    @Test
    void theLimitWithinTheWindowStartsAPenaltyForThatSourceOnly() {
        assertFalse(throttle.failed("192.0.2.1"));
        assertFalse(throttle.failed("192.0.2.1"));
        assertTrue(throttle.failed("192.0.2.1"));
        assertEquals(Optional.of(Duration.ofSeconds(300)), throttle.penaltyLeft("192.0.2.1"));
        assertEquals(Optional.empty(), throttle.penaltyLeft("192.0.2.2"), "another source is not affected");
    }

    @Test
    void thePenaltyEnds() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("192.0.2.1");
        }
        clock.now = clock.now.plusSeconds(299);
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.penaltyLeft("192.0.2.1"));
        clock.now = clock.now.plusSeconds(1);
        assertEquals(Optional.empty(), throttle.penaltyLeft("192.0.2.1"));
        assertFalse(throttle.failed("192.0.2.1"), "counting starts afresh");
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        clock.now = clock.now.plusSeconds(60);
        assertFalse(throttle.failed("192.0.2.1"));
        assertFalse(throttle.failed("192.0.2.1"));
        assertTrue(throttle.failed("192.0.2.1"));
    }

    @Test
    void aSuccessClearsTheCount() {
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        throttle.succeeded("192.0.2.1");
        assertFalse(throttle.failed("192.0.2.1"));
        assertFalse(throttle.failed("192.0.2.1"));
    }

    @Test
    void memoryIsBoundedWhateverTheNumberOfSources() {
        for (int i = 0; i < 10_000; i++) {
            throttle.failed("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }
        assertEquals(100, throttle.trackedSources());
    }

    @Test
    void anIpv6SourceIsCountedByItsSlash64() throws Exception {
        assertEquals(FailedLoginThrottle.sourceKey(InetAddress.getByName("2001:db8:1:2::1")),
                FailedLoginThrottle.sourceKey(InetAddress.getByName("2001:db8:1:2:ffff::9")));
        assertEquals("192.0.2.7", FailedLoginThrottle.sourceKey(InetAddress.getByName("192.0.2.7")));
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

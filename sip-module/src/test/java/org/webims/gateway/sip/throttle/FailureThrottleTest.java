package org.webims.gateway.sip.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Counting failures per key, the penalty and its end, the memory cap ({@link FailureThrottle}). */
class FailureThrottleTest {
    private final MutableClock clock = new MutableClock();
    private final FailureThrottle<String> throttle =
            new FailureThrottle<>(3, Duration.ofSeconds(60), Duration.ofSeconds(30), 100, clock);

    @Test
    void theFailureThatReachesTheLimitStartsThePenalty() {
        assertFalse(throttle.failed("alice"));
        assertFalse(throttle.failed("alice"));
        assertEquals(Optional.empty(), throttle.refusal("alice"), "below the limit: may try");
        assertTrue(throttle.failed("alice"), "the third failure starts the penalty");
        assertEquals(Optional.of(Duration.ofSeconds(30)), throttle.refusal("alice"));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Optional.of(Duration.ofSeconds(20)), throttle.refusal("alice"), "what is left of it");
    }

    @Test
    void otherKeysAreNotAffected() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("alice");
        }
        assertEquals(Optional.empty(), throttle.refusal("bob"));
    }

    @Test
    void thePenaltyEndsAndTheKeyStartsAfresh() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("alice");
        }
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Optional.empty(), throttle.refusal("alice"));
        assertFalse(throttle.failed("alice"), "one failure after the penalty is one, not four");
        assertFalse(throttle.failed("alice"));
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        throttle.failed("alice");
        throttle.failed("alice");
        clock.advance(Duration.ofSeconds(60));
        assertFalse(throttle.failed("alice"), "a new window");
        assertFalse(throttle.failed("alice"));
        assertTrue(throttle.failed("alice"));
    }

    @Test
    void answersToRequestsRelayedBeforeThePenaltyDoNotProlongIt() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("alice");
        }
        clock.advance(Duration.ofSeconds(5));
        assertFalse(throttle.failed("alice"));
        assertEquals(Optional.of(Duration.ofSeconds(25)), throttle.refusal("alice"));
    }

    @Test
    void memoryIsCappedAndTheLeastRecentlyFailedKeyGoesFirst() {
        FailureThrottle<String> small = new FailureThrottle<>(2, Duration.ofSeconds(60), Duration.ofSeconds(30),
                2, clock);
        small.failed("a");
        small.failed("b");
        small.failed("a"); // a: refused, and now the most recent
        small.failed("c"); // b forgotten
        assertEquals(2, small.size());
        assertTrue(small.refusal("a").isPresent());
        assertFalse(small.failed("b"), "b starts again from one failure");
    }

    @Test
    void aLimitOfZeroNeverRefuses() {
        FailureThrottle<String> off = new FailureThrottle<>(0, Duration.ofSeconds(60), Duration.ofSeconds(30), 10,
                clock);
        for (int i = 0; i < 100; i++) {
            assertFalse(off.failed("alice"));
        }
        assertEquals(Optional.empty(), off.refusal("alice"));
        assertEquals(0, off.size());
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

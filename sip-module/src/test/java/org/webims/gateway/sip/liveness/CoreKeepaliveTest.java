package org.webims.gateway.sip.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoreKeepaliveTest {
    private static final Duration T1 = Duration.ofMillis(500);

    @Test
    void aProbeGivesUpWithinOneInterval() {
        assertEquals(Duration.ofMillis(78), new CoreKeepalive(Duration.ofSeconds(5), 3).probeT1(T1));
        assertEquals(Duration.ofMillis(15), new CoreKeepalive(Duration.ofSeconds(1), 3).probeT1(T1));
    }

    @Test
    void aLongIntervalKeepsTheConfiguredT1() {
        assertEquals(T1, new CoreKeepalive(Duration.ofSeconds(60), 3).probeT1(T1));
    }

    @Test
    void theProbeT1HasAFloor() {
        assertEquals(CoreKeepalive.MIN_PROBE_T1, new CoreKeepalive(Duration.ofMillis(100), 3).probeT1(T1));
    }

    @Test
    void retryAfterIsTheIntervalInWholeSecondsAtLeastOne() {
        assertEquals(5, new CoreKeepalive(Duration.ofSeconds(5), 3).retryAfterSeconds());
        assertEquals(1, new CoreKeepalive(Duration.ofMillis(200), 3).retryAfterSeconds());
    }

    @Test
    void zeroTurnsTheWatchOff() {
        assertFalse(CoreKeepalive.off().enabled());
        assertTrue(new CoreKeepalive(Duration.ofSeconds(1), 1).enabled());
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CoreKeepalive(Duration.ofSeconds(-1), 3));
        assertThrows(IllegalArgumentException.class, () -> new CoreKeepalive(Duration.ofSeconds(5), 0));
    }
}

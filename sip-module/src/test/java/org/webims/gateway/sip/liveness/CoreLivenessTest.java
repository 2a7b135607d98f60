package org.webims.gateway.sip.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.webims.gateway.sip.liveness.CoreLiveness.Change.CAME_BACK;
import static org.webims.gateway.sip.liveness.CoreLiveness.Change.NONE;
import static org.webims.gateway.sip.liveness.CoreLiveness.Change.WENT_DOWN;
import static org.webims.gateway.sip.liveness.CoreLiveness.Evidence.PROBE_ANSWERED;
import static org.webims.gateway.sip.liveness.CoreLiveness.Evidence.PROBE_FAILED;
import static org.webims.gateway.sip.liveness.CoreLiveness.Evidence.TRAFFIC_ANSWERED;
import static org.webims.gateway.sip.liveness.CoreLiveness.Evidence.TRAFFIC_FAILED;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CoreLivenessTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final CoreLiveness core = new CoreLiveness(3, T0);

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void startsUpWithNoAnswerYet() {
        CoreStatus status = core.status();
        assertEquals(CoreLiveness.State.UP, status.state());
        assertEquals(T0, status.since());
        assertNull(status.lastAnswer());
        assertEquals(0, status.outages());
    }

    @Test
    void goesDownAfterTheConfiguredConsecutiveProbeFailuresOnly() {
        assertEquals(NONE, core.on(PROBE_FAILED, at(1)));
        assertEquals(NONE, core.on(PROBE_FAILED, at(2)));
        assertFalse(core.down());
        assertEquals(WENT_DOWN, core.on(PROBE_FAILED, at(3)));
        assertTrue(core.down());
        assertEquals(at(3), core.status().since());
        assertEquals(1, core.status().outages());
    }

    @Test
    void anAnswerBetweenFailuresStartsTheCountAgain() {
        core.on(PROBE_FAILED, at(1));
        core.on(PROBE_FAILED, at(2));
        assertEquals(NONE, core.on(TRAFFIC_ANSWERED, at(3)));
        assertEquals(NONE, core.on(PROBE_FAILED, at(4)));
        assertEquals(NONE, core.on(PROBE_FAILED, at(5)));
        assertFalse(core.down());
        assertEquals(at(3), core.status().lastAnswer());
        assertEquals(2, core.status().consecutiveFailures());
    }

    @Test
    void requestsTimingOutBehindALiveCoreNeverTakeItDownAlone() {
        for (int i = 0; i < 100; i++) {
            assertEquals(NONE, core.on(TRAFFIC_FAILED, at(i)));
        }
        assertFalse(core.down());
    }

    @Test
    void trafficFailuresHastenTheVerdictOnceAProbeFailed() {
        core.on(TRAFFIC_FAILED, at(1));
        core.on(TRAFFIC_FAILED, at(1));
        assertEquals(WENT_DOWN, core.on(PROBE_FAILED, at(2)));
    }

    @Test
    void comesBackOnTheFirstAnswerOfAnyKindAndSaysSoOnce() {
        downAt(3);
        assertEquals(NONE, core.on(PROBE_FAILED, at(4)));
        assertEquals(NONE, core.on(TRAFFIC_FAILED, at(4)));
        assertTrue(core.down());
        assertEquals(CAME_BACK, core.on(PROBE_ANSWERED, at(5)));
        assertFalse(core.down());
        assertEquals(at(5), core.status().since());
        assertEquals(0, core.status().consecutiveFailures());
        assertEquals(NONE, core.on(TRAFFIC_ANSWERED, at(6)));
    }

    @Test
    void afterComingBackItTakesTheFullCountToGoDownAgain() {
        downAt(3);
        core.on(TRAFFIC_ANSWERED, at(4));
        assertEquals(NONE, core.on(PROBE_FAILED, at(5)));
        assertEquals(NONE, core.on(PROBE_FAILED, at(6)));
        assertEquals(WENT_DOWN, core.on(PROBE_FAILED, at(7)));
        assertEquals(2, core.status().outages());
    }

    @Test
    void oneFailureSufficesWhenConfiguredSo() {
        CoreLiveness strict = new CoreLiveness(1, T0);
        assertEquals(NONE, strict.on(TRAFFIC_FAILED, at(1)));
        assertEquals(WENT_DOWN, strict.on(PROBE_FAILED, at(2)));
    }

    private void downAt(int seconds) {
        for (int i = 0; i < 3; i++) {
            core.on(PROBE_FAILED, at(seconds));
        }
        assertTrue(core.down());
    }
}

package org.webims.gateway.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StepResultTest {

    private static StepResult step(long attempts, long ok, double seconds) {
        return new StepResult("REGISTER", 100, attempts, ok, ok == attempts ? Map.of() : Map.of("timeout",
                attempts - ok), seconds, new LatencyHistogram(), new LatencyHistogram());
    }

    @Test
    void sustainedMeansUnderOnePercentFailedAndNinetyFivePercentOfTheRateCompleted() {
        assertTrue(step(1000, 1000, 10).sustained());
        assertTrue(step(1000, 991, 10).sustained());
        assertFalse(step(1000, 990, 10).sustained(), "1 % failures is not under 1 %");
        assertFalse(step(1000, 1000, 11).sustained(), "all answered, but at 91 % of the offered rate");
        assertFalse(step(0, 0, 10).sustained());
    }

    @Test
    void whatReachedTheServerLeavesOutWhatTheGeneratorCouldNotStart() {
        StepResult r = new StepResult("REGISTER", 5000, 50_000, 20_000, Map.of(StepResult.NO_IDLE_CLIENT, 20_000L,
                "status 503", 10_000L), 10, new LatencyHistogram(), new LatencyHistogram());
        assertEquals(3000, r.sentRate(), 1e-9);
        assertEquals(100, step(1000, 990, 10).sentRate(), 1e-9, "nothing left unsent: the offered rate");
    }

    @Test
    void describesFailuresSorted() {
        StepResult r = new StepResult("call", 10, 5, 2, Map.of("timeout", 2L, "status 503", 1L), 1,
                new LatencyHistogram(), new LatencyHistogram());
        assertEquals("status 503 1, timeout 2", r.describeFailures());
        assertEquals(3, r.failed());
    }

    @Test
    void classifiesRefusalsTimeoutsAndTheRest() {
        StepResult r = new StepResult("call", 200, 1000, 900, Map.of(
                "status 503 \"media gateway saturated\"" + SipFailure.WITH_RETRY_AFTER, 40L,
                "status 503", 10L,
                "BYE status 503" + SipFailure.WITH_RETRY_AFTER, 5L,
                "timeout", 20L,
                "unfinished", 5L,
                "status 486", 15L,
                "no idle client", 5L), 5, new LatencyHistogram(), new LatencyHistogram());
        assertEquals(55, r.refused503());
        assertEquals(45, r.refused503WithRetryAfter());
        assertEquals(25, r.timeouts());
        assertEquals(20, r.otherFailures());
        assertEquals(11.0, r.perSecond(55), 1e-9, "55 of 1000 started at 200/s: 11/s");
    }
}

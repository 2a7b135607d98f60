package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void theNarrowingStepLiesHalfwayOnAMultipleOfFive() {
        assertEquals(OptionalDouble.of(175), Plan.refinement(150, 200));
        assertEquals(OptionalDouble.of(1800), Plan.refinement(1600, 2000));
        assertEquals(OptionalDouble.of(40), Plan.refinement(25, 50), "37.5 rounds to 40, still below 50");
    }

    @Test
    void noNarrowingStepWhenNoRateLiesStrictlyBetween() {
        assertTrue(Plan.refinement(95, 100).isEmpty(), "97.5 rounds to 100, the failed rate itself");
        assertTrue(Plan.refinement(100, 100).isEmpty());
    }

    @Test
    void theFullPlansRatesLeaveRoomForOneBetweenEachPair() {
        Plan plan = Plan.full();
        for (java.util.List<Double> rates : java.util.List.of(plan.callRates(), plan.registerRates())) {
            for (int i = 1; i < rates.size(); i++) {
                assertTrue(Plan.refinement(rates.get(i - 1), rates.get(i)).isPresent(), rates.toString());
            }
        }
    }

    @Test
    void holdRatesGoHalfwayDownThenToTheSweepsNextRate() {
        assertEquals(java.util.List.of(250.0, 225.0, 200.0, 175.0, 150.0, 125.0, 100.0, 75.0, 50.0, 40.0, 25.0),
                Plan.holdRates(java.util.List.of(25.0, 50.0, 100.0, 150.0, 200.0, 250.0)));
        assertEquals(java.util.List.of(275.0, 265.0, 250.0, 225.0, 200.0, 175.0, 150.0),
                Plan.holdRates(java.util.List.of(150.0, 200.0, 250.0, 275.0)),
                "a sweep's refinement step is a rate it sustained");
        assertEquals(java.util.List.of(25.0), Plan.holdRates(java.util.List.of(25.0)));
        assertTrue(Plan.holdRates(java.util.List.of()).isEmpty());
    }

    @Test
    void registrationsAreHeldTwoThirdsAsLongAsCalls() {
        assertEquals(13, Plan.full().registerHoldSeconds());
        assertEquals(4, Plan.quick().registerHoldSeconds());
    }

    @Test
    void theSettlingStepsHaveRoomForTheirOperationsAndTheQuietStepsAfterThem() {
        for (Plan plan : java.util.List.of(Plan.full(), Plan.quick())) {
            double perStep = JitSettling.CALL_RATE * plan.warmUp().toMillis() / 1000.0; // calls: the slower settling
            org.junit.jupiter.api.Assertions.assertTrue(JitSettling.MAX_STEPS * perStep
                    >= plan.settlingOperations() + JitSettling.QUIET_STEPS * perStep,
                    "at most " + JitSettling.MAX_STEPS + " steps of " + perStep + " calls");
        }
    }
}

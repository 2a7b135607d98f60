package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class HoldSearchTest {
    private static final List<Double> REGISTER_SWEEP = List.of(100.0, 200.0, 300.0, 450.0, 600.0, 800.0, 1000.0,
            1300.0, 1600.0, 2000.0, 2500.0);

    @Test
    void aFailedHoldSkipsTheRatesAboveWhatItCompleted() {
        // c24ca8a's run: the sweep sustained 2500 REGISTER/s in 4 s, its hold completed 1555/s
        HoldSearch search = new HoldSearch(REGISTER_SWEEP, 100);
        assertEquals(2500, search.first());
        assertEquals(OptionalDouble.of(1450), search.afterFailure(1555), "2250 to 1600 skipped; halfway 1300-1600");
        assertEquals(OptionalDouble.of(1300), search.afterFailure(1449));
    }

    @Test
    void aNearMissStepsDownOneCandidate() {
        HoldSearch search = new HoldSearch(List.of(25.0, 50.0, 100.0, 150.0, 200.0, 250.0, 275.0), 25);
        assertEquals(275, search.first());
        assertEquals(OptionalDouble.of(265), search.afterFailure(270.4));
        assertEquals(OptionalDouble.of(250), search.afterFailure(262));
    }

    @Test
    void atMostFiveHolds() {
        HoldSearch search = new HoldSearch(REGISTER_SWEEP, 100);
        search.first();
        for (int i = 0; i < Plan.MOST_HOLDS - 1; i++) {
            assertTrue(search.afterFailure(Double.MAX_VALUE).isPresent(), "hold " + (i + 2));
        }
        assertTrue(search.afterFailure(Double.MAX_VALUE).isEmpty());
    }

    @Test
    void nothingLowerLeftEndsTheSearch() {
        HoldSearch search = new HoldSearch(List.of(100.0), 100);
        assertEquals(100, search.first());
        assertTrue(search.afterFailure(90).isEmpty());
        HoldSearch twoRates = new HoldSearch(List.of(50.0, 100.0), 50);
        twoRates.first();
        assertTrue(twoRates.afterFailure(30).isEmpty(), "75 and 50 both above the 30/s completed");
    }

    @Test
    void aSweepThatSustainedNothingHoldsTheLowestRateTried() {
        HoldSearch search = new HoldSearch(List.of(), 25);
        assertEquals(25, search.first());
        assertTrue(search.afterFailure(20).isEmpty());
    }
}

package org.webims.gateway.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.webims.gateway.bench.load.LatencyHistogram;
import org.webims.gateway.bench.load.StepResult;
import org.webims.gateway.bench.run.Step;

class PastCapacityTest {

    private static StepResult result(double offered, long ok) {
        long attempts = (long) offered * 4;
        return new StepResult("call", offered, attempts, ok, ok == attempts ? Map.of()
                : Map.of("status 503 with Retry-After", attempts - ok), 4, new LatencyHistogram(),
                new LatencyHistogram());
    }

    private static Step step(double offered, long ok) {
        return new Step(result(offered, ok), Map.of(), 1, Map.of());
    }

    @Test
    void goodputAtTwiceOverThePeakOfSweepHoldAndPastCapacity() {
        List<Step> sweep = List.of(step(100, 400), step(200, 800), step(300, 1000));
        List<Step> holds = List.of(step(300, 1000));
        List<Step> past = List.of(step(250, 960), step(300, 1000), step(350, 920), step(400, 900));
        assertEquals(250, PastCapacity.peakGoodput(sweep, holds, past), 1e-9, "1000 in 4 s");
        assertEquals(0.9, PastCapacity.lastOverPeak(sweep, holds, past), 1e-9);
        assertTrue(Double.isNaN(PastCapacity.lastOverPeak(sweep, holds, List.of())));
        assertEquals(List.of(100.0, 200.0, 250.0, 300.0, 300.0, 350.0, 400.0), PastCapacity.curve(sweep, past)
                .stream().map(s -> s.result().offeredRate()).toList());
    }

    @Test
    void aSweepStepAboveTheRateTheHoldsEndedOnIsNotThePeak() {
        // the sweep completed 300/s for 4 s; the hold at 300/s failed, the one at 250/s held
        List<Step> sweep = List.of(step(200, 800), step(250, 1000), step(300, 1200));
        List<Step> holds = List.of(step(300, 1000), step(250, 1000));
        List<Step> past = List.of(step(375, 960), step(500, 920));
        assertEquals(250, PastCapacity.peakGoodput(sweep, holds, past), 1e-9);
        assertEquals(0.92, PastCapacity.lastOverPeak(sweep, holds, past), 1e-9);
        assertEquals(300, PastCapacity.peakGoodput(sweep, List.of(), past), 1e-9, "no hold: the whole sweep");
    }

    @Test
    void theWholeMachineIsEveryGroupButTheOfWhichParts() {
        Step s = new Step(result(100, 400), Map.of("system under test", 120.0, "of which JIT compilation", 20.0,
                "IMS core", 30.0, "load generator", 40.0, "other (outside the run, and kernel interrupts)", 5.0), 1,
                Map.of());
        assertEquals(195.0, PastCapacity.machinePercent(s), 1e-9);
    }
}

package org.webims.gateway.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.webims.gateway.bench.load.LatencyHistogram;
import org.webims.gateway.bench.load.StepResult;
import org.webims.gateway.bench.run.Step;

/** The CPU comparison over holds pairs the gateway's hold with Kamailio's at the very same rate, or none. */
class HeldCpuTest {

    @Test
    void thePairIsTheGatewaysHoldAtKamailiosRateNotItsOwn() {
        Step ownRate = hold(300, 5700, 2.0);
        Step kamailiosRate = hold(250, 5000, 2.2);
        Step kamailio = hold(250, 5000, 1.8);
        assertArrayEquals(new Step[] {kamailiosRate, kamailio},
                Report.highestBothSustain(List.of(ownRate, kamailiosRate), List.of(kamailio)));
    }

    @Test
    void ofSeveralRatesBothSustainedTheHighestIsCompared() {
        Step low = hold(200, 4000, 2.4);
        Step high = hold(250, 5000, 2.2);
        Step kamailioLow = hold(200, 4000, 1.9);
        Step kamailioHigh = hold(250, 5000, 1.8);
        assertArrayEquals(new Step[] {high, kamailioHigh},
                Report.highestBothSustain(List.of(low, high), List.of(kamailioLow, kamailioHigh)));
        assertArrayEquals(new Step[] {high, kamailioHigh},
                Report.highestBothSustain(List.of(high, low), List.of(kamailioHigh, kamailioLow)));
    }

    @Test
    void noPairWithoutACommonRateOrWhenEitherDidNotHoldIt() {
        assertNull(Report.highestBothSustain(List.of(hold(300, 5700, 2.0)), List.of(hold(250, 5000, 1.8))));
        assertNull(Report.highestBothSustain(List.of(hold(250, 0, Double.NaN)), List.of(hold(250, 5000, 1.8))));
        // past its capacity the gateway's CPU per call would count the refused calls' work too
        assertNull(Report.highestBothSustain(List.of(hold(250, 4000, 2.6)), List.of(hold(250, 5000, 1.8))));
        assertNull(Report.highestBothSustain(List.of(hold(250, 5000, 2.0)), List.of(hold(250, 4000, 1.8))));
        assertNull(Report.highestBothSustain(List.of(), List.of(hold(250, 5000, 1.8))));
    }

    private static Step hold(double rate, long succeeded, double cpuMsPerCall) {
        StepResult result = new StepResult("call", rate, (long) (rate * 20), succeeded,
                succeeded == (long) (rate * 20) ? Map.of() : Map.of("status 503", (long) (rate * 20) - succeeded), 20,
                new LatencyHistogram(), new LatencyHistogram());
        return new Step(result, Map.of(), cpuMsPerCall, Map.of());
    }
}

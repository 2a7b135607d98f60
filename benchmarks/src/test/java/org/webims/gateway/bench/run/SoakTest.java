package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.webims.gateway.bench.load.LatencyHistogram;
import org.webims.gateway.bench.load.StepResult;

class SoakTest {
    private static final long MB = 1024 * 1024;

    private static SoakSample sample(double minutes, long heapMb) {
        StepResult ok = new StepResult("call", 10, 300, 300, Map.of(), 30, new LatencyHistogram(),
                new LatencyHistogram());
        return new SoakSample(minutes, heapMb * MB, 10, 10, ok, ok);
    }

    private static SoakResult soak(int minutes, List<SoakSample> samples, int callsLeft) {
        return new SoakResult(Instant.EPOCH, minutes, 10, 30, "test", 100, null, samples, callsLeft, 0, 0, List.of());
    }

    @Test
    void aHeapIsFlatWithinTenPercentOrSixteenMegabytesOfTheBaseline() {
        assertTrue(SoakResult.flat(100 * MB, 116 * MB), "16 MB over 100 MB: the fixed tolerance");
        assertFalse(SoakResult.flat(100 * MB, 117 * MB));
        assertTrue(SoakResult.flat(300 * MB, 330 * MB), "10 % of 300 MB is over 16 MB");
        assertFalse(SoakResult.flat(300 * MB, 331 * MB));
        assertTrue(SoakResult.flat(300 * MB, 200 * MB), "shrinking is flat");
        assertFalse(SoakResult.flat(-1, 100 * MB), "unread is not flat");
    }

    @Test
    void theBaselineIsTheFirstSampleAfterFiveMinutesOrHalfAShortSoak() {
        SoakResult thirty = soak(30, List.of(sample(0.25, 80), sample(4.9, 90), sample(5.2, 100), sample(29.8, 115)),
                0);
        assertEquals(5.2, thirty.baseline().minutes());
        assertTrue(thirty.heapFlat());
        assertTrue(thirty.clean());
        SoakResult two = soak(2, List.of(sample(0.25, 80), sample(0.75, 90), sample(1.25, 95), sample(1.75, 140)), 0);
        assertEquals(1.25, two.baseline().minutes());
        assertEquals(0.25, soak(2, List.of(sample(0.25, 80), sample(1.25, 95)), 0).baseline().minutes(),
                "a short soak's only reading after half of it is its end: the one before is the baseline");
        assertFalse(two.heapFlat());
        assertFalse(two.clean());
        assertFalse(soak(30, thirty.samples(), 1).clean(), "a call left over is not clean");
    }

    @Test
    void aFailedReadingIsNoBaselineAndAnUnreadEndOrOneReadingIsNoVerdict() {
        SoakResult lastUnread = soak(30, List.of(sample(5.2, 100), sample(20, 104), sample(29.8, -1)), 0);
        assertFalse(lastUnread.heapRead(), "unread at the end: an earlier reading says nothing of the end");
        assertFalse(lastUnread.clean());
        SoakResult firstUnread = soak(30, List.of(sample(5.2, -1), sample(20, 104), sample(29.8, 110)), 0);
        assertEquals(20, firstUnread.baseline().minutes());
        SoakResult one = soak(1, List.of(sample(0.5, -1), sample(1.0, 100)), 0);
        assertFalse(one.heapRead(), "one reading compares with nothing");
        assertFalse(one.heapFlat());
        assertFalse(one.clean());
    }

    @Test
    void errorLinesOfAWildFlyLog() {
        assertTrue(Soak.isError("2026-12-04 07:00:00,123 ERROR [org.webims.gateway] (SIP-1) boom"));
        assertTrue(Soak.isError("2026-12-04 07:00:00,123 SEVERE [x] (y) boom"));
        assertFalse(Soak.isError("2026-12-04 07:00:00,123 WARN  [x] (y) an ERROR [in text]"));
        assertFalse(Soak.isError("2026-12-04 07:00:00,123 INFO  [x] (y) ERROR [z]"));
    }

    private static Step hold(double offered, long ok, long refused) {
        return new Step(new StepResult("call", offered, ok + refused, ok, refused == 0 ? Map.of()
                : Map.of("status 503", refused), 20, new LatencyHistogram(), new LatencyHistogram()), Map.of(), 1,
                Map.of());
    }

    @Test
    void readsTheRateHeldFromTheTextTheReportWrites() {
        String held = org.webims.gateway.bench.report.Report.holdSearchText(List.of(hold(300, 5000, 1000),
                hold(275, 5500, 0)));
        String report = "| calls: highest rate held for 20 s (x) | " + held + " | – | – |\n"
                + "| REGISTER: highest rate held for 13 s (x) | "
                + org.webims.gateway.bench.report.Report.holdSearchText(List.of(hold(2000, 30_000, 10_000)))
                + " | – | – |\n";
        SoakRates rates = SoakRates.of(null, null, report);
        assertEquals(68, rates.callRate(), held);
        assertEquals(SoakRates.DEFAULT_REGISTERS, rates.registerRate(), "no REGISTER rate held: the default");
    }

    @Test
    void ratesAreAQuarterOfEachRateTheGatewayHeldInTheLastReportUnlessGiven() {
        String report = """
                | measure | gateway | Kamailio | ratio |
                |---|---:|---:|---:|
                | REGISTER/s sustained by a 4 s sweep step (digest) | 2500 | 1600 | 1.56× |
                | REGISTER: highest rate held for 13 s (the sweep's best, stepped down while a hold failed): completed/s, p50 / p99 ms | not held at 2500/s (1555/s completed); held at 1450/s: 1449/s completed, 3.1 / 20.0 ms | held at 1600/s: 1600/s completed, 2.0 / 9.0 ms | 0.91× |
                | calls/s sustained by a 4 s sweep step, media anchored (rtpengine offer, answer, delete) | 300 | 250 | 1.20× |
                | calls: highest rate held for 20 s (the sweep's best, stepped down while a hold failed): completed/s, p50 / p99 ms | held at 250/s: 250/s completed, 7.0 / 40.0 ms | held at 250/s: 250/s completed, 6.0 / 30.0 ms | 1.00× |
                """;
        SoakRates fromReport = SoakRates.of(null, null, report);
        assertEquals(62, fromReport.callRate());
        assertEquals(362, fromReport.registerRate(), "a quarter of the 1450/s held, not of the refuted 2500/s");
        SoakRates given = SoakRates.of(20.0, null, report);
        assertEquals(20, given.callRate());
        assertEquals(362, given.registerRate());
        SoakRates noneHeld = SoakRates.of(null, null, """
                | calls: highest rate held for 20 s (x) | not held at 50/s (40/s completed); **none held**, lowest tried 25/s: 20/s completed, 9 / 90 ms | held at 25/s: 25/s completed | – |
                | REGISTER: highest rate held for 13 s (x) | – | held at 100/s: 100/s completed | – |
                """);
        assertEquals(SoakRates.DEFAULT_CALLS, noneHeld.callRate(), "Kamailio's cell is not the gateway's");
        assertEquals(SoakRates.DEFAULT_REGISTERS, noneHeld.registerRate());
        assertEquals(1050, noneHeld.clients(Duration.ofSeconds(1)), "3 × (100 × 2 s + 300 × 0.5 s)");
    }
}

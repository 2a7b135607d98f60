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

    @Test
    void ratesAreAQuarterOfEachOfTheLastReportsUnlessGiven() {
        String report = """
                | measure | gateway | Kamailio | ratio |
                |---|---:|---:|---:|
                | sustained REGISTER/s (digest: REGISTER, 401, REGISTER, 200; < 1 % failures) | 800 | 1600 | 0.50× |
                | sustained calls/s, media anchored (rtpengine offer, answer, delete) | ≥ 250 | 250 | 1.00× |
                | sustained calls/s, SDP passed through | 500 | ≥ 800 | 0.63× |
                """;
        SoakRates fromReport = SoakRates.of(null, null, report);
        assertEquals(62, fromReport.callRate());
        assertEquals(200, fromReport.registerRate());
        SoakRates given = SoakRates.of(20.0, null, report);
        assertEquals(20, given.callRate());
        assertEquals(200, given.registerRate());
        SoakRates none = SoakRates.of(null, null, "| sustained calls/s, media anchored (x) | < 25 | 25 | – |");
        assertEquals(SoakRates.DEFAULT_CALLS, none.callRate());
        assertEquals(SoakRates.DEFAULT_REGISTERS, none.registerRate());
        assertEquals(200, none.clients(Duration.ofSeconds(1)) >= 200 ? 200 : 0);
        assertEquals(1050, none.clients(Duration.ofSeconds(1)), "3 × (100 × 2 s + 300 × 0.5 s)");
    }
}

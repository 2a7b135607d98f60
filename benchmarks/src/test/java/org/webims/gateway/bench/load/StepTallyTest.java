package org.webims.gateway.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StepTallyTest {

    private static final long MS = 1_000_000;

    @Test
    void oneHeldUpOperationDoesNotFailTheStep() {
        StepTally t = new StepTally();
        for (int i = 0; i < 199; i++) {
            t.succeeded(3_000, (i * 20 + 3) * MS); // 50/s for 4 s, each 3 ms after it was due
        }
        t.succeeded(270_000, 4_270 * MS); // one completion 270 ms past the window (a GC pause)
        StepResult r = t.close("REGISTER", 50, 200, 4.0, new LatencyHistogram());
        assertEquals(4.0, r.elapsedSeconds()); // 99 % were in by 3.943 s
        assertTrue(r.sustained()); // to the last completion: 200 / 4.27 s = 46.8/s, under 95 % of 50/s
    }

    @Test
    void aServerFallingBehindIsRatedAtWhatItCarried() {
        // offered 100/s for 4 s, answered evenly at 94.5/s: 5.5 % short of the offered rate, no failure
        StepTally t = new StepTally();
        for (int i = 0; i < 400; i++) {
            t.succeeded(1_000, Math.round((i + 1) / 94.5 * 1e9));
        }
        StepResult r = t.close("REGISTER", 100, 400, 4.0, new LatencyHistogram());
        assertEquals(94.5, r.throughput(), 1e-6);
        assertFalse(r.sustained()); // all 400 over the time 99 % took (95.5/s) would pass it
    }

    @Test
    void whatCompletesAfterTheStepStoppedWaitingIsUnfinished() {
        StepTally t = new StepTally();
        t.succeeded(1_000, MS);
        t.failed("status 503");
        StepResult r = t.close("call", 1, 4, 4.0, new LatencyHistogram());
        t.succeeded(1_000, 9_000 * MS);
        t.failed("timeout");
        assertEquals(1, r.succeeded());
        assertEquals(Map.of("status 503", 1L, "unfinished", 2L), r.failures());
        assertEquals(3, r.failed());
        assertEquals(4.0, r.elapsedSeconds());
    }

    @Test
    void everySuccessIsCountedHoweverMany() {
        StepTally t = new StepTally();
        for (int i = 0; i < 5000; i++) {
            t.succeeded(1_000, i * MS);
        }
        StepResult r = t.close("REGISTER", 1000, 5000, 5.0, new LatencyHistogram());
        assertEquals(5000, r.succeeded());
        assertEquals(5000, r.latency().count());
    }
}

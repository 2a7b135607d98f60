package org.webims.gateway.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CompletionsTest {

    private static final long MS = 1_000_000;

    @Test
    void oneHeldUpOperationDoesNotFailTheStep() {
        Completions c = new Completions(200);
        for (int i = 0; i < 199; i++) {
            c.record((i * 20 + 3) * MS); // 50/s for 4 s, each 3 ms after it was due
        }
        c.record(4_270 * MS); // one completion 270 ms past the window (a GC pause)
        assertEquals(3.943 * 200 / 198, c.carriedSeconds(), 1e-9);
        assertTrue(step(50, 200, 4, c).sustained());
    }

    @Test
    void aServerFallingBehindIsRatedAtWhatItCarried() {
        // offered 100/s for 4 s, answered evenly at 94.5/s: 5.5 % short of the offered rate, no failure
        Completions c = new Completions(400);
        for (int i = 0; i < 400; i++) {
            c.record(Math.round((i + 1) / 94.5 * 1e9));
        }
        StepResult r = step(100, 400, 4, c);
        assertEquals(94.5, r.throughput(), 1e-6);
        assertFalse(r.sustained()); // counting all 400 over the time 99 % took (95.5/s) would pass it
    }

    @Test
    void noCompletionsCarryNothingAndOverflowIsIgnored() {
        assertEquals(0, new Completions(4).carriedSeconds());
        Completions c = new Completions(1);
        c.record(MS);
        c.record(9_000 * MS);
        assertEquals(0.001, c.carriedSeconds(), 1e-12);
    }

    private static StepResult step(double rate, long ops, double window, Completions c) {
        return new StepResult("REGISTER", rate, ops, ops, Map.of(), Math.max(window, c.carriedSeconds()),
                new LatencyHistogram(), new LatencyHistogram());
    }
}

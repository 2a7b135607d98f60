package org.webims.gateway.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CompletionsTest {

    private static final long MS = 1_000_000;

    @Test
    void oneHeldUpOperationDoesNotSetTheStepsEnd() {
        Completions c = new Completions(200);
        for (int i = 0; i < 199; i++) {
            c.record((i * 20 + 3) * MS); // 50/s for 4 s, each 3 ms after it was due
        }
        c.record(4_270 * MS); // one completion 270 ms past the window (a GC pause)
        assertEquals(3.943, c.carriedSeconds(), 1e-9);
    }

    @Test
    void aServerFallingBehindIsLateOnMostOperations() {
        Completions c = new Completions(100);
        for (int i = 0; i < 100; i++) {
            c.record((i * 40 + i * 10) * MS); // due every 40 ms, answered ever later
        }
        assertEquals(4.9, c.carriedSeconds(), 1e-9); // 99th of 100: index 98
    }

    @Test
    void noCompletionsCarryNothingAndOverflowIsIgnored() {
        assertEquals(0, new Completions(4).carriedSeconds());
        Completions c = new Completions(1);
        c.record(MS);
        c.record(9_000 * MS);
        assertEquals(0.001, c.carriedSeconds(), 1e-12);
    }
}

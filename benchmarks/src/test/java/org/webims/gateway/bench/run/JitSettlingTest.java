package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitSettlingTest {

    @Test
    void oneQuietStepAfterBusyOnesIsNotSettled() {
        // the charged gateway of the run of bc0cfb0: its warm-up's last settling steps read 11 then just under 10 %,
        // and the settling after its pool connected 23 then 6 %; each ended at its one quiet step, and the sweep after
        // them ran with the JIT at 13-28 % of a core
        JitSettling.Steps warmUp = new JitSettling.Steps(true, 0);
        assertFalse(warmUp.settledAfter(0.11, 600));
        assertFalse(warmUp.settledAfter(0.097, 600));
        assertTrue(warmUp.settledAfter(0.05, 600), "a second quiet step in a row");
        JitSettling.Steps afterPool = new JitSettling.Steps(true, 0);
        assertFalse(afterPool.settledAfter(0.23, 600));
        assertFalse(afterPool.settledAfter(0.06, 600));
    }

    @Test
    void aBusyStepStartsTheCountAgain() {
        JitSettling.Steps steps = new JitSettling.Steps(true, 0);
        assertFalse(steps.settledAfter(0.05, 600));
        assertFalse(steps.settledAfter(0.30, 600));
        assertFalse(steps.settledAfter(0.05, 600));
        assertTrue(steps.settledAfter(0.09, 600));
    }

    @Test
    void aJvmStepThatReadsNothingIsOneQuietStepNotProofOfNoJit() {
        JitSettling.Steps steps = new JitSettling.Steps(true, 0);
        assertFalse(steps.settledAfter(0.0, 600), "under one clock tick of compiler time");
        assertTrue(steps.settledAfter(0.0, 600));
    }

    @Test
    void aReadingThatIsNoShareCountsAsBusy() {
        JitSettling.Steps steps = new JitSettling.Steps(true, 0);
        assertFalse(steps.settledAfter(0.05, 600));
        assertFalse(steps.settledAfter(Double.NaN, 600));
        assertFalse(steps.settledAfter(-0.02, 600), "a compiler thread that ended took its CPU time with it");
        assertFalse(steps.settledAfter(0.05, 600));
        assertTrue(steps.settledAfter(0.05, 600));
    }

    @Test
    void aTargetWithoutJitIsSettledAfterOneStep() {
        assertTrue(new JitSettling.Steps(false, 12_000).settledAfter(0.0, 600)); // Kamailio: nothing compiled, ever
    }

    @Test
    void quietStepsBeforeEnoughOperationsAreNotSettled() {
        // the reproduction of b1e7ec1 at 100 calls/s: the compiler read 6-11 % from the 6,000th call on, and the
        // B2BUA's once-per-call methods reached C2 up to the 10,500th
        JitSettling.Steps steps = new JitSettling.Steps(true, 12_000);
        for (int step = 1; step < 20; step++) {
            assertFalse(steps.settledAfter(0.06, 600), "quiet, but only " + 600 * step + " calls");
        }
        assertTrue(steps.settledAfter(0.06, 600), "12,000 calls, the last two steps quiet");
        JitSettling.Steps busyAtTheEnd = new JitSettling.Steps(true, 1_200);
        assertFalse(busyAtTheEnd.settledAfter(0.05, 600));
        assertFalse(busyAtTheEnd.settledAfter(0.30, 600), "enough operations, a busy step");
        assertFalse(busyAtTheEnd.settledAfter(0.05, 600));
        assertTrue(busyAtTheEnd.settledAfter(0.05, 600));
    }
}

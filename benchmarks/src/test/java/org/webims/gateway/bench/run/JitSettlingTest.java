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
        JitSettling.Steps warmUp = new JitSettling.Steps(true);
        assertFalse(warmUp.settledAfter(0.11));
        assertFalse(warmUp.settledAfter(0.097));
        assertTrue(warmUp.settledAfter(0.05), "a second quiet step in a row");
        JitSettling.Steps afterPool = new JitSettling.Steps(true);
        assertFalse(afterPool.settledAfter(0.23));
        assertFalse(afterPool.settledAfter(0.06));
    }

    @Test
    void aBusyStepStartsTheCountAgain() {
        JitSettling.Steps steps = new JitSettling.Steps(true);
        assertFalse(steps.settledAfter(0.05));
        assertFalse(steps.settledAfter(0.30));
        assertFalse(steps.settledAfter(0.05));
        assertTrue(steps.settledAfter(0.09));
    }

    @Test
    void aJvmStepThatReadsNothingIsOneQuietStepNotProofOfNoJit() {
        JitSettling.Steps steps = new JitSettling.Steps(true);
        assertFalse(steps.settledAfter(0.0), "under one clock tick of compiler time");
        assertTrue(steps.settledAfter(0.0));
    }

    @Test
    void aReadingThatIsNoShareCountsAsBusy() {
        JitSettling.Steps steps = new JitSettling.Steps(true);
        assertFalse(steps.settledAfter(0.05));
        assertFalse(steps.settledAfter(Double.NaN));
        assertFalse(steps.settledAfter(-0.02), "a compiler thread that ended took its CPU time with it");
        assertFalse(steps.settledAfter(0.05));
        assertTrue(steps.settledAfter(0.05));
    }

    @Test
    void aTargetWithoutJitIsSettledAfterOneStep() {
        assertTrue(new JitSettling.Steps(false).settledAfter(0.0)); // Kamailio: nothing compiled, ever
    }
}

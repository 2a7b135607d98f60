package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitSettlingTest {

    @Test
    void oneQuietStepAmongBusyOnesIsNotSettled() {
        // the charged gateway's last settling steps in the run of bc0cfb0: 11, 10, 23, 6, then its sweep's JIT 13-28 %
        JitSettling.Steps steps = new JitSettling.Steps();
        assertFalse(steps.settledAfter(0.11));
        assertFalse(steps.settledAfter(0.10));
        assertFalse(steps.settledAfter(0.23));
        assertFalse(steps.settledAfter(0.06));
        assertTrue(steps.settledAfter(0.04));
    }

    @Test
    void aBusyStepStartsTheCountAgain() {
        JitSettling.Steps steps = new JitSettling.Steps();
        assertFalse(steps.settledAfter(0.05));
        assertFalse(steps.settledAfter(0.30));
        assertFalse(steps.settledAfter(0.05));
        assertTrue(steps.settledAfter(0.09));
    }

    @Test
    void aTargetWithoutJitIsSettledAfterOneStep() {
        assertTrue(new JitSettling.Steps().settledAfter(0.0)); // Kamailio: nothing compiled, ever
    }
}

package org.webims.gateway.bench.run;

import java.time.Duration;
import java.util.Locale;

/**
 * How a target is brought to a steady state before it is measured: its sweep's operation, unmeasured, at a moderate
 * rate in steps until its JIT compiler takes under {@link #SETTLED} of a core over a step. A method called once per
 * call reaches C2 only after thousands of calls: at 150 calls/s C2 still took 40-90 % of a core a minute into the load
 * (jstat of a reproduction), on a machine whose two cores rtpengine needs too. A target without a JIT (Kamailio) is
 * settled after one step.
 */
public final class JitSettling {

    /** Calls/s of the settling steps, and the last rate of a restarted gateway's warm-up. */
    public static final double CALL_RATE = 100;

    /** REGISTER/s of the settling steps. */
    public static final double REGISTER_RATE = 300;

    /** The JIT compiler's share of a core under which a JVM counts as warm. */
    public static final double SETTLED = 0.10;

    /** The most settling steps. */
    public static final int MAX_STEPS = 20;

    private JitSettling() {
    }

    /** One line for the report's method section. */
    public static String describe(Duration step) {
        return String.format(Locale.ROOT, "the sweep's operation unmeasured (calls at %.0f/s, REGISTER at %.0f/s) in "
                + "steps of %d s until the JIT compiler is under %.0f %% of a core over one (at most %d steps; "
                + "Kamailio has no JIT: one step)", CALL_RATE, REGISTER_RATE, step.toSeconds(), 100 * SETTLED,
                MAX_STEPS);
    }
}

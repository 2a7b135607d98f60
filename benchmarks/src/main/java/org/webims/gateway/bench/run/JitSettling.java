package org.webims.gateway.bench.run;

import java.time.Duration;
import java.util.Locale;

/**
 * How a target is brought to a steady state before it is measured: its sweep's operation, unmeasured, at a moderate
 * rate in steps until its JIT compiler takes under {@link #SETTLED} of a core over {@link #QUIET_STEPS} steps in a row.
 * One quiet step was noise: the charged gateway of the run of bc0cfb0 read 11 then just under 10 % and was taken as
 * warm, read 23 then 6 % when settled again after its pool connected, and its sweep then ran with the JIT at 13 to 28 %
 * of a core in its middle steps. A method called once per call reaches C2 only after thousands of calls: at 150 calls/s
 * C2 still took 40-90 % of a core a minute into the load (jstat of a reproduction), on a machine whose two cores
 * rtpengine needs too. Quiet steps are not enough either: between C1's compilations and C2's the compiler goes quiet
 * while the call path still runs in C1's profiling code, so a JVM is warm only after {@code minOperations} operations
 * of the settling too ({@link Plan#settlingOperations}). A target without a JIT (Kamailio) is settled after one step.
 */
public final class JitSettling {

    /** Calls/s of the settling steps, and the last rate of a restarted gateway's warm-up. */
    public static final double CALL_RATE = 100;

    /** REGISTER/s of the settling steps. */
    public static final double REGISTER_RATE = 300;

    /** The JIT compiler's share of a core under which a JVM counts as warm. */
    public static final double SETTLED = 0.10;

    /** Steps in a row under {@link #SETTLED} that make a JVM warm. */
    public static final int QUIET_STEPS = 2;

    /** The most settling steps: room for {@link Plan#settlingOperations} at the settling rates, then quiet steps. */
    public static final int MAX_STEPS = 40;

    /** The verdict over the settling steps of one target, in order. */
    public static final class Steps {
        private final boolean hasJit;
        private final long minOperations;
        private long operations;
        private int quietInARow;

        /**
         * {@code hasJit}: whether the target compiles at all (a JVM's compiler threads have used CPU since it started;
         * Kamailio's never). Decided from the target, not from the steps: a JVM's step may read 0 % (under one clock
         * tick of 10 ms) and is no proof of a target without a JIT. {@code minOperations}: how many operations the
         * settling steps of a JVM run at least, quiet or not.
         */
        public Steps(boolean hasJit, long minOperations) {
            this.hasJit = hasJit;
            this.minOperations = minOperations;
        }

        /**
         * Whether the target is settled after a step of {@code stepOperations} operations whose JIT compiler took
         * {@code jitShare} of a core: after one step for a target without a JIT, else after {@link #QUIET_STEPS} quiet
         * steps in a row once the steps have run {@code minOperations} in all. A reading that is no share (NaN, or
         * negative: a compiler thread that ended took its CPU time with it) counts as busy, never as quiet.
         */
        public boolean settledAfter(double jitShare, long stepOperations) {
            if (!hasJit) {
                return true;
            }
            operations += stepOperations;
            boolean quiet = jitShare >= 0 && jitShare < SETTLED;
            quietInARow = quiet ? quietInARow + 1 : 0;
            return quietInARow >= QUIET_STEPS && operations >= minOperations;
        }
    }

    private JitSettling() {
    }

    /** One line for the report's method section. */
    public static String describe(Duration step, long minOperations) {
        return String.format(Locale.ROOT, "the sweep's operation unmeasured (calls at %.0f/s, REGISTER at %.0f/s) in "
                + "steps of %d s until at least %d operations have run and the JIT compiler is under %.0f %% of a core "
                + "over %d steps in a row (at most %d steps; Kamailio has no JIT: one step)", CALL_RATE, REGISTER_RATE,
                step.toSeconds(), minOperations, 100 * SETTLED, QUIET_STEPS, MAX_STEPS);
    }
}

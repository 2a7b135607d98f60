package org.webims.gateway.bench.run;

import java.time.Duration;
import java.util.List;

/**
 * What a run measures and how long each part takes; {@link #full()} measures both targets in about 30 minutes on a
 * 2-core machine (more when holds fail and step down).
 *
 * @param clients          N: idle registered clients of the first concurrency point (the second is N times
 *                         {@code growth})
 * @param growth           the factor from N to the second point (10)
 * @param calls            M: established calls of the first point (the second is M times {@code growth})
 * @param connectRate      new connections (handshake + REGISTER with digest) per second while growing
 * @param callSetupRate    call setups per second while establishing held calls
 * @param settle           pause after growing before measuring
 * @param idleWindow       how long CPU is measured with every client idle (keepalives only)
 * @param keepalive        period of each client's keepalive
 * @param step             duration of each step of a sweep
 * @param registerRates    offered REGISTER rates (registrations per second, each with its 401 round), ascending
 * @param callRates        offered call rates (calls per second), ascending
 * @param hold             how long each call of a sweep stays up between ACK and BYE
 * @param pool             clients connected for a sweep on a target started only for that sweep
 * @param holdSeconds      how long each hold of calls lasts after the sweep ({@link HoldSearch}: the highest sustained
 *                         rate, then lower ones while a hold fails), the same way on both targets (nothing recorded
 *                         meanwhile); registrations are held {@link #registerHoldSeconds()}; a past-capacity step
 *                         lasts as long as a hold
 * @param recordSeconds    the gateway only: how long the same rate is then recorded with JFR and analysed, in a window
 *                         of its own (registrations two thirds of it), so that the recording's cost stays out of the
 *                         hold; the recording runs {@link #profileSettle()} longer, left out
 * @param overloadFactors  the past-capacity sweep: multiples of the rate held, offered after the holds,
 *                         every one of them whatever the previous did
 * @param warmUpClients    clients of the warm-up before anything is measured on a target (closed after it)
 * @param warmUp           how long the warm-up registers, then calls
 * @param probeRegisterRate REGISTER rate of the probe at each concurrency point
 * @param probeCallRate    call rate of the probe at each concurrency point
 * @param settlingOperations the fewest operations of a JVM's settling before a sweep ({@link JitSettling}): once-per-
 *                         call methods of the B2BUA reached C2 only after 6,000 to 10,500 calls at 100/s (JFR
 *                         compilation events of a reproduction on the code of b1e7ec1), while the compiler had read
 *                         under 10 % of a core since the 6,000th: the sweep then measured C1's profiling code and C2
 *                         compiling
 */
public record Plan(int clients, int growth, int calls, double connectRate, double callSetupRate, Duration settle,
        Duration idleWindow, Duration keepalive, Duration step, List<Double> registerRates, List<Double> callRates,
        Duration hold, int pool, int holdSeconds, int recordSeconds, List<Double> overloadFactors, int warmUpClients,
        Duration warmUp, double probeRegisterRate, double probeCallRate, long settlingOperations) {

    private static final List<Double> PAST_CAPACITY = List.of(1.25, 1.5, 1.75, 2.0);
    /** The most holds a workload gets before the run goes on with the lowest rate tried ({@link HoldSearch}). */
    public static final int MOST_HOLDS = 5;

    /**
     * How long the gateway carries the profiled load with JFR already started before the window that is analysed:
     * starting JFR sets the JIT recompiling what it deoptimised, and samples taken meanwhile show the interpreter.
     */
    public Duration profileSettle() {
        return Duration.ofSeconds(2L * recordSeconds);
    }

    /**
     * The rate of the step that narrows a sweep down once a step failed: halfway between the last rate sustained and
     * the first that was not, on a multiple of 5; empty when no rate lies strictly between. Without it a sweep knows
     * its capacity only to within a whole step (150 → 200 calls/s is a third), too coarse for a ratio of two sweeps.
     */
    public static java.util.OptionalDouble refinement(double sustained, double failed) {
        double halfway = Math.round((sustained + failed) / 2 / 5) * 5.0;
        return halfway > sustained && halfway < failed ? java.util.OptionalDouble.of(halfway)
                : java.util.OptionalDouble.empty();
    }

    /**
     * The rates a hold may try, highest first, from the rates a sweep sustained (ascending, its first failure left out):
     * its best, then halfway down to the next lower rate it sustained ({@link #refinement}) and that rate itself, and so
     * on down. {@link HoldSearch} picks from them while holds fail.
     */
    public static List<Double> holdRates(List<Double> sustained) {
        List<Double> rates = new java.util.ArrayList<>();
        for (int i = sustained.size() - 1; i >= 0; i--) {
            rates.add(sustained.get(i));
            if (i > 0) {
                refinement(sustained.get(i - 1), sustained.get(i)).ifPresent(rates::add);
            }
        }
        return List.copyOf(rates);
    }

    /** How long registrations are held: two thirds of {@link #holdSeconds} (more operations per second, no call hold). */
    public int registerHoldSeconds() {
        return holdSeconds * 2 / 3;
    }

    public static Plan full() {
        return new Plan(500, 10, 100, 250, 50, Duration.ofSeconds(4), Duration.ofSeconds(10), Duration.ofSeconds(25),
                Duration.ofSeconds(4),
                List.of(100.0, 200.0, 300.0, 450.0, 600.0, 800.0, 1000.0, 1300.0, 1600.0, 2000.0, 2500.0, 3000.0),
                List.of(25.0, 50.0, 75.0, 100.0, 150.0, 200.0, 250.0, 300.0, 400.0, 500.0, 650.0, 800.0),
                Duration.ofSeconds(1), 2000, 20, 10, PAST_CAPACITY, 500, Duration.ofSeconds(6), 100, 20, 12_000);
    }

    /** A few minutes: small N and M, three short steps per sweep (to try the run itself, not for figures). */
    public static Plan quick() {
        return new Plan(50, 10, 10, 100, 20, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(25),
                Duration.ofSeconds(2), List.of(50.0, 100.0, 200.0), List.of(10.0, 20.0, 40.0), Duration.ofMillis(500),
                300, 6, 4, PAST_CAPACITY, 100, Duration.ofSeconds(2), 50, 10, 0);
    }
}

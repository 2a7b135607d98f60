package org.webims.gateway.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one load step did: operations attempted at the offered rate, how many succeeded, the failures by reason, and
 * the latency of the successful ones, measured from the moment each operation was due to start (so a generator or
 * server that falls behind shows up in the latency, not hidden by it).
 *
 * @param name          what was measured ("REGISTER", "call", "connect+REGISTER", ...)
 * @param offeredRate   operations started per second
 * @param attempts      operations started
 * @param succeeded     operations that succeeded
 * @param failures      failed operations by reason ("timeout", "status 503", "no idle client", ...)
 * @param elapsedSeconds the offered window, or longer if the successful operations came later: the time until
 *                      99 % of them had completed, scaled to all of them (see {@link StepTally})
 * @param latency       latency of the successful operations (µs): REGISTER with its challenge round, call setup
 *                      INVITE to 200
 * @param secondary     a second latency if the step has one (call teardown BYE to 200), else empty
 */
public record StepResult(String name, double offeredRate, long attempts, long succeeded, Map<String, Long> failures,
        double elapsedSeconds, LatencyHistogram latency, LatencyHistogram secondary) {

    /** The share of a late step's successful operations its rate is counted to (see {@link StepTally}). */
    public static final double CARRIED_SHARE = StepTally.SHARE;

    public StepResult {
        failures = Map.copyOf(failures);
    }

    public long failed() {
        return attempts - succeeded;
    }

    /** Successful operations per second. */
    public double throughput() {
        return elapsedSeconds <= 0 ? 0 : succeeded / elapsedSeconds;
    }

    public double failureRatio() {
        return attempts == 0 ? 0 : (double) failed() / attempts;
    }

    public double p50Millis() {
        return latency.percentileMicros(50) / 1000.0;
    }

    public double p99Millis() {
        return latency.percentileMicros(99) / 1000.0;
    }

    /**
     * The step sustained its offered rate: under 1 % failures and a completed rate of at least 95 % of the offered one,
     * the completed rate being the successful operations over the offered window or, if 99 % of them completed later,
     * those 99 % over the time until they had (a server that answers everything but ever later does not sustain it;
     * one held-up operation alone does not decide).
     */
    public boolean sustained() {
        return attempts > 0 && failureRatio() < 0.01 && throughput() >= 0.95 * offeredRate;
    }

    /** Operations refused with a 503 (a "status 503" or "BYE status 503" reason, with or without Retry-After). */
    public long refused503() {
        return count(reason -> reason.contains("status 503"));
    }

    /** Of {@link #refused503()}, those whose 503 carried Retry-After. */
    public long refused503WithRetryAfter() {
        return count(reason -> reason.contains("status 503") && reason.endsWith(SipFailure.WITH_RETRY_AFTER));
    }

    /** Operations that got no final response in time, or were still running when the step gave up waiting. */
    public long timeouts() {
        return count(reason -> reason.equals("timeout") || reason.equals("unfinished"));
    }

    /** Failures that are neither a 503 nor a timeout (other statuses, closed connections, no idle client, ...). */
    public long otherFailures() {
        return failed() - refused503() - timeouts();
    }

    /** {@code count} operations of this step as a rate over the offered window (what the chart plots). */
    /** The reason of an operation the generator could not start: every client of its pool was busy. */
    public static final String NO_IDLE_CLIENT = "no idle client";

    /**
     * Operations per second that reached the server: the offered rate less those the generator could not start
     * ({@link #NO_IDLE_CLIENT}), which only say the generator's pool ran dry.
     */
    public double sentRate() {
        return perSecond(attempts - failures.getOrDefault(NO_IDLE_CLIENT, 0L));
    }

    public double perSecond(long count) {
        return attempts == 0 ? 0 : count * offeredRate / attempts;
    }

    private long count(java.util.function.Predicate<String> reason) {
        return failures.entrySet().stream().filter(e -> reason.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /** "timeout 12, status 503 3", sorted, or "none". */
    public String describeFailures() {
        if (failures.isEmpty()) {
            return "none";
        }
        return new TreeMap<>(failures).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%s offered %.1f/s: %d/%d ok, %.1f/s, p50 %.2f ms, p99 %.2f ms, failures: %s", name, offeredRate,
                succeeded, attempts, throughput(), p50Millis(), p99Millis(), describeFailures());
    }
}

package org.webims.gateway.bench.load;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The bookkeeping of one open-loop step: each operation's outcome as it completes, then the step's result. One lock,
 * so the result made when the step stops waiting is consistent even while late operations still complete (those
 * count as unfinished).
 *
 * <p>The step's rate: its successful operations over the offered window, or, when {@link #SHARE} of them completed
 * only after the window, that share over the time until they had. One operation held up at the step's end (a single
 * GC pause) does not decide alone whether a server carried the rate, as the same 1 % may fail outright; a server that
 * falls behind is late on most operations and is rated at what it carried.
 */
final class StepTally {

    /** The share of the successful operations a late step's rate is counted to. */
    static final double SHARE = 0.99;

    private final LatencyHistogram latency = new LatencyHistogram();
    private final Map<String, Long> failures = new HashMap<>();
    private long[] completedAt = new long[1024];
    private int succeeded;
    private boolean closed;

    /** An operation succeeded with {@code micros} of latency, {@code nanosFromStart} after the step started. */
    synchronized void succeeded(long micros, long nanosFromStart) {
        if (closed) {
            return;
        }
        latency.record(micros);
        if (succeeded == completedAt.length) {
            completedAt = Arrays.copyOf(completedAt, completedAt.length * 2);
        }
        completedAt[succeeded++] = nanosFromStart;
    }

    /** An operation failed for {@code reason}. */
    synchronized void failed(String reason) {
        if (!closed) {
            failures.merge(reason, 1L, Long::sum);
        }
    }

    /**
     * Seconds the successful operations are counted over: {@code window}, or if {@link #SHARE} of them completed later,
     * that share's completion time scaled to all of them ({@code t × n / k}, so the rate is {@code k / t}).
     */
    synchronized double elapsedSeconds(double window) {
        if (succeeded == 0) {
            return window;
        }
        long[] sorted = Arrays.copyOf(completedAt, succeeded);
        Arrays.sort(sorted);
        int counted = (int) Math.ceil(SHARE * succeeded);
        return Math.max(window, sorted[counted - 1] / 1e9 * succeeded / counted);
    }

    /**
     * The step's result; operations completing after this count as unfinished (with the others still running).
     *
     * @param attempts operations started
     * @param window   the offered window in seconds
     */
    synchronized StepResult close(String name, double rate, long attempts, double window,
            LatencyHistogram secondary) {
        closed = true;
        Map<String, Long> failed = new HashMap<>(failures);
        long unfinished = attempts - succeeded - failures.values().stream().mapToLong(Long::longValue).sum();
        if (unfinished > 0) {
            failed.merge("unfinished", unfinished, Long::sum);
        }
        return new StepResult(name, rate, attempts, succeeded, failed, elapsedSeconds(window), latency, secondary);
    }
}

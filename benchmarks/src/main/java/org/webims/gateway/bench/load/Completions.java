package org.webims.gateway.bench.load;

import java.util.Arrays;

/**
 * When the successful operations of one step completed, in nanoseconds from the step's start. A step's rate is
 * counted to the moment {@link #SHARE} of them had completed, not to the very last one: one operation held up at the
 * step's end (a single GC pause) would otherwise decide alone whether a server carried the rate, while the same
 * 1 % of operations may fail outright. A server that falls behind still shows: most of its completions are late,
 * and its rate is that share over the time it took (never the whole count over the shorter time). Thread-safe:
 * operations may still complete while a step that gave up waiting reads the result.
 */
final class Completions {

    /** The share of the successful operations a step's rate is counted to. */
    static final double SHARE = 0.99;

    private final long[] nanos;
    private int count;

    Completions(int capacity) {
        nanos = new long[capacity];
    }

    /** One successful operation completed {@code nanosFromStart} after the step started. */
    synchronized void record(long nanosFromStart) {
        if (count < nanos.length) {
            nanos[count++] = nanosFromStart;
        }
    }

    /**
     * The seconds over which the recorded operations count at the rate the first {@link #SHARE} of them completed:
     * that share's completion time scaled to all of them ({@code t × n / k}, so the rate is {@code k / t}); 0 if none
     * completed. A step's elapsed time is the larger of this and its offered window.
     */
    synchronized double carriedSeconds() {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int counted = Math.max(1, (int) Math.ceil(SHARE * count));
        return sorted[counted - 1] / 1e9 * count / counted;
    }
}

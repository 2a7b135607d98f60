package org.webims.gateway.bench.load;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When the successful operations of one step completed, in nanoseconds from the step's start. A step's rate is
 * counted to the moment {@link #SHARE} of them had completed, not to the very last one: one operation held up at the
 * step's end (a single GC pause) would otherwise decide alone whether a server carried the rate, while the same
 * 1 % of operations may fail outright. A server that falls behind still shows: most of its completions are late.
 */
final class Completions {

    /** The share of the successful operations a step's rate is counted to. */
    static final double SHARE = 0.99;

    private final long[] nanos;
    private final AtomicInteger count = new AtomicInteger();

    Completions(int capacity) {
        nanos = new long[capacity];
    }

    /** One successful operation completed {@code nanosFromStart} after the step started. */
    void record(long nanosFromStart) {
        int i = count.getAndIncrement();
        if (i < nanos.length) {
            nanos[i] = nanosFromStart;
        }
    }

    /**
     * Seconds from the step's start until {@link #SHARE} of the recorded operations had completed; 0 if none did.
     * Call once every operation has completed or given up (the array is read without further synchronisation).
     */
    double carriedSeconds() {
        int n = Math.min(count.get(), nanos.length);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(SHARE * n) - 1;
        return sorted[Math.max(0, index)] / 1e9;
    }
}

package org.webims.gateway.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size, lock-free latency histogram in the manner of HdrHistogram: values (microseconds) below
 * {@value #LINEAR} are counted exactly, larger ones in {@value #SUB_BUCKETS} equal sub-buckets per power of two, so a
 * reported percentile is within 1/{@value #SUB_BUCKETS} (0.2 %) of the recorded value, from 1 µs to over an hour,
 * in 32 KB. Safe to record from any thread.
 */
public final class LatencyHistogram {
    static final int SUB_BUCKETS = 512;
    static final int LINEAR = 2 * SUB_BUCKETS;
    private static final int SHIFT = Integer.numberOfTrailingZeros(SUB_BUCKETS); // 9
    private static final int OCTAVES = 23; // 1024 µs * 2^23 > 2 hours
    private static final long MAX_VALUE = ((long) LINEAR << OCTAVES) - 1;

    private final AtomicLongArray counts = new AtomicLongArray(LINEAR + OCTAVES * SUB_BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();

    /** Records one value in microseconds; negative values count as 0, huge ones as the largest bucket. */
    public void record(long micros) {
        long v = Math.max(0, Math.min(micros, MAX_VALUE));
        counts.incrementAndGet(index(v));
        total.incrementAndGet();
        sum.addAndGet(v);
        max.accumulateAndGet(v, Math::max);
    }

    /** Records the time since {@code startNanos} (a {@link System#nanoTime()} value). */
    public void recordSince(long startNanos) {
        record((System.nanoTime() - startNanos) / 1_000);
    }

    public long count() {
        return total.get();
    }

    public long maxMicros() {
        return max.get();
    }

    public double meanMicros() {
        long n = total.get();
        return n == 0 ? 0 : (double) sum.get() / n;
    }

    /**
     * The value at a percentile (0..100): the highest value of the bucket holding the
     * ceil(p/100 * count)-th smallest recording; 0 when empty.
     */
    public long percentileMicros(double percentile) {
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(highestIn(i), max.get());
            }
        }
        return max.get();
    }

    /** Adds every recording of {@code other} to this one. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length(); i++) {
            long c = other.counts.get(i);
            if (c != 0) {
                counts.addAndGet(i, c);
            }
        }
        total.addAndGet(other.total.get());
        sum.addAndGet(other.sum.get());
        max.accumulateAndGet(other.max.get(), Math::max);
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int octave = 63 - Long.numberOfLeadingZeros(v) - (SHIFT + 1); // 0 for 1024..2047
        int sub = (int) ((v >>> (octave + 1)) - SUB_BUCKETS);       // 0..511
        return LINEAR + octave * SUB_BUCKETS + sub;
    }

    static long highestIn(int index) {
        if (index < LINEAR) {
            return index;
        }
        int octave = (index - LINEAR) / SUB_BUCKETS;
        int sub = (index - LINEAR) % SUB_BUCKETS;
        long low = (long) (SUB_BUCKETS + sub) << (octave + 1);
        return low + (1L << (octave + 1)) - 1;
    }
}

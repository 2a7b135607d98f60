package org.webims.gateway.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(100, h.count());
        assertEquals(50, h.percentileMicros(50));
        assertEquals(99, h.percentileMicros(99));
        assertEquals(100, h.percentileMicros(100));
        assertEquals(50.5, h.meanMicros(), 1e-9);
    }

    @Test
    void largeValuesAreWithinTheResolution() {
        LatencyHistogram h = new LatencyHistogram();
        long[] values = {1_500, 12_345, 250_000, 3_000_000, 7_200_000_000L};
        for (long v : values) {
            h.record(v);
            LatencyHistogram one = new LatencyHistogram();
            one.record(v);
            long reported = one.percentileMicros(50);
            assertTrue(reported >= v && reported <= v + v / LatencyHistogram.SUB_BUCKETS,
                    v + " reported as " + reported);
        }
        assertEquals(7_200_000_000L, h.maxMicros());
    }

    @Test
    void bucketsTileTheRangeWithoutGapsOrOverlaps() {
        for (long v = 0; v < 1 << 20; v += 7) {
            int i = LatencyHistogram.index(v);
            assertTrue(v <= LatencyHistogram.highestIn(i), "value " + v + " above its bucket " + i);
            assertTrue(i == 0 || v > LatencyHistogram.highestIn(i - 1), "value " + v + " in the bucket below");
        }
    }

    @Test
    void addMergesCountsAndMaximum() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        b.record(20);
        b.record(30);
        a.add(b);
        assertEquals(3, a.count());
        assertEquals(30, a.maxMicros());
        assertEquals(20, a.percentileMicros(50));
    }

    @Test
    void anEmptyHistogramReportsZero() {
        assertEquals(0, new LatencyHistogram().percentileMicros(99));
    }
}

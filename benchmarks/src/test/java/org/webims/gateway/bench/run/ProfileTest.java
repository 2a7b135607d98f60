package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
    private static volatile long sink;

    @Test
    void samplesBeforeTheSkipAreLeftOut(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("busy.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            sink = busy(Duration.ofMillis(1500)); // kept, so the JIT cannot drop the loop
            recording.stop();
            recording.dump(file);
        }
        long all = Profile.analyze(file, "busy").samples();
        long later = Profile.analyze(file, "busy", Duration.ofMillis(750)).samples();
        assertTrue(all > 0, "a busy thread is sampled");
        assertTrue(later > 0 && later < all, later + " samples after 750 ms of " + all);
        assertEquals(0L, Profile.analyze(file, "busy", Duration.ofHours(1)).samples(), "nothing after the end");
    }

    /**
     * Java code all along: JFR's execution sampler skips a thread in native code, and a loop that mostly calls
     * System.nanoTime (native until C2 compiles it) was sampled once in 1.5 s in a full build.
     */
    private static long busy(Duration how) {
        long end = System.nanoTime() + how.toNanos();
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1_000_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        return x;
    }
}

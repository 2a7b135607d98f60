package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {

    @Test
    void samplesBeforeTheSkipAreLeftOut(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("busy.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            busy(Duration.ofMillis(1500));
            recording.stop();
            recording.dump(file);
        }
        long all = Profile.analyze(file, "busy").samples();
        long later = Profile.analyze(file, "busy", Duration.ofMillis(750)).samples();
        assertTrue(all > 0, "a busy thread is sampled");
        assertTrue(later > 0 && later < all, later + " samples after 750 ms of " + all);
        assertEquals(0L, Profile.analyze(file, "busy", Duration.ofHours(1)).samples(), "nothing after the end");
    }

    private static long busy(Duration how) {
        long end = System.nanoTime() + how.toNanos();
        long x = 1;
        while (System.nanoTime() < end) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}

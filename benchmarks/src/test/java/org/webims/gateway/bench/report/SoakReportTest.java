package org.webims.gateway.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.webims.gateway.bench.load.LatencyHistogram;
import org.webims.gateway.bench.load.StepResult;
import org.webims.gateway.bench.run.SoakResult;
import org.webims.gateway.bench.run.SoakSample;

class SoakReportTest {

    @Test
    void replacesTheSoakSectionOrInsertsItBeforeConcurrency() {
        String section = "## Soak\n\nnew\n\n";
        assertEquals("# B\n\n## Sweeps\n\nx\n\n## Soak\n\nnew\n\n## Concurrency\n\ny\n",
                SoakReport.withSection("# B\n\n## Sweeps\n\nx\n\n## Concurrency\n\ny\n", section));
        assertEquals("# B\n\n## Soak\n\nnew\n\n## Concurrency\n\ny\n",
                SoakReport.withSection("# B\n\n## Soak\n\nold\nold\n\n## Concurrency\n\ny\n", section));
        assertEquals("# B\n\nz\n\n## Soak\n\nnew\n\n", SoakReport.withSection("# B\n\nz\n", section));
    }

    @Test
    void theSummaryOfASoakMdIsWhatTheMainReportCarriesOver(@TempDir Path dir) throws Exception {
        assertNull(SoakReport.summaryOf(dir.resolve("soak.md")), "no soak yet: no section");
        StepResult ok = new StepResult("call", 10, 300, 300, Map.of(), 30, new LatencyHistogram(),
                new LatencyHistogram());
        StepResult refused = new StepResult("call", 10, 300, 290, Map.of("status 503", 10L), 30,
                new LatencyHistogram(), new LatencyHistogram());
        SoakSample warmUp = new SoakSample(0, 90L << 20, 10, 10, refused, ok);
        SoakResult r = new SoakResult(Instant.EPOCH, 2, 10, 30, "given as options", 200, warmUp, List.of(
                new SoakSample(0.25, 100L << 20, 10, 10, ok, ok), new SoakSample(1.25, 101L << 20, 9, 9, ok, ok)),
                0, 0, 0, List.of());
        Path md = dir.resolve("BENCHMARKS.md");
        Files.writeString(md, "# B\n\n## Concurrency\n\nx\n");
        SoakReport.write(r, dir.resolve("benchmarks"), md);
        String summary = SoakReport.summaryOf(dir.resolve("benchmarks/soak.md"));
        assertTrue(summary.startsWith("**Clean**: 2 min"), "the warm-up window is not judged: " + summary);
        assertTrue(summary.contains("first window at these rates (a warm-up, not judged): calls 290 / 300 ok "
                + "(status 503 10)"), "but it is in the summary: " + summary);
        assertTrue(summary.contains("**flat**"), summary);
        assertTrue(Files.readString(md).contains("## Soak\n") && Files.readString(md).contains(summary));
        assertTrue(Files.exists(dir.resolve("benchmarks/soak.png")));
    }
}

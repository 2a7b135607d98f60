package org.webims.gateway.it.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text of a fuzz run's result: what was sent and answered, liveness, calls left, crashes and heap. */
public final class FuzzReport {
    private final List<String> lines = new ArrayList<>();
    private final List<String> samples = new ArrayList<>();

    FuzzReport(SipFuzzer.Result result, int callsLeft, int mediaSessionsLeft, ServerLog.Findings log,
               long heapBefore, long heapAfter, List<String> classGrowth) {
        SipFuzzer.Settings s = result.settings();
        double seconds = result.elapsed().toMillis() / 1000.0;
        lines.add("SIP over WebSocket fuzz run");
        lines.add(String.format(Locale.ROOT, "seed: 0x%x (replay: -Dfuzz.seed=0x%x -Dfuzz.inputs=%d)", s.seed(),
                s.seed(), s.inputs()));
        lines.add(String.format(Locale.ROOT, "%d connections (%d registered with digest, %d never registered), "
                        + "inputs capped at %d bytes, pace %d ms, answer bound %d s",
                s.registered() + s.unregistered(), s.registered(), s.unregistered(), s.maxBytes(), s.paceMillis(),
                s.answerBound().toSeconds()));
        lines.add(String.format(Locale.ROOT, "duration: %.1f s, %.0f inputs/s", seconds,
                result.stats().inputs() / Math.max(seconds, 0.001)));
        lines.addAll(result.stats().lines());
        lines.add("connection (re)opens refused or failed: " + result.connectFailures());
        List<SipFuzzer.Liveness> live = result.liveness();
        long failed = live.stream().filter(l -> !l.ok()).count();
        long slowest = live.stream().mapToLong(SipFuzzer.Liveness::millis).max().orElse(0);
        lines.add("liveness REGISTERs (fresh client, digest): " + live.size() + ", failed: " + failed
                + ", slowest: " + slowest + " ms");
        live.stream().filter(l -> !l.ok()).forEach(l -> lines.add("   after " + l.afterInputs() + " inputs: "
                + l.status() + " in " + l.millis() + " ms " + (l.error() == null ? "" : l.error())));
        lines.add("calls left in /api/calls after the fuzz calls were hung up and their connections closed: "
                + callsLeft + "; media sessions left in rtpengine: " + mediaSessionsLeft);
        lines.addAll(log.lines());
        lines.add(String.format(Locale.ROOT, "heap after full GC: before %.1f MB, after %.1f MB (%+.1f MB)"
                        + (Long.getLong("fuzz.settle-seconds", 0) > 0 ? " (after " + Long.getLong("fuzz.settle-seconds")
                        + " s idle)" : ""),
                heapBefore / 1048576.0, heapAfter / 1048576.0, (heapAfter - heapBefore) / 1048576.0));
        lines.add("classes that grew most (jcmd GC.class_histogram, after minus before):");
        lines.addAll(classGrowth);
        samples.addAll(result.stats().samples());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Writes {@code fuzz-report.txt} (the summary) and {@code fuzz-samples.txt} (inputs behind odd outcomes). */
    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path report = dir.resolve("fuzz-report.txt");
        Files.write(report, lines);
        Files.write(dir.resolve("fuzz-samples.txt"), samples);
        return report;
    }
}

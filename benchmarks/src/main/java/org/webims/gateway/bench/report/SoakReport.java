package org.webims.gateway.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.webims.gateway.bench.run.SoakResult;
import org.webims.gateway.bench.run.SoakSample;

/**
 * Writes a soak's result to {@code docs/benchmarks/soak.md} and {@code soak.png}, and its summary into the "Soak"
 * section of docs/BENCHMARKS.md (which the next full run carries over from soak.md).
 */
public final class SoakReport {
    static final String CHART = "soak.png";
    private static final String BEGIN = "<!-- soak summary -->";
    private static final String END = "<!-- /soak summary -->";
    private static final String SECTION = "## Soak\n";

    private SoakReport() {}

    public static void write(SoakResult r, Path assets, Path benchmarksMd) throws IOException {
        Files.createDirectories(assets);
        writeChart(r, assets.resolve(CHART));
        Files.writeString(assets.resolve(Report.SOAK), markdown(r));
        if (Files.exists(benchmarksMd)) {
            String relative = benchmarksMd.getParent().relativize(assets).toString();
            Files.writeString(benchmarksMd, withSection(Files.readString(benchmarksMd),
                    section(relative, summary(r))));
        }
    }

    /** The summary lines of a soak.md, or null when there is no such file. */
    static String summaryOf(Path soakMd) throws IOException {
        if (!Files.exists(soakMd)) {
            return null;
        }
        String text = Files.readString(soakMd);
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        return b < 0 || e < b ? null : text.substring(b + BEGIN.length(), e).strip();
    }

    /** The "Soak" section of BENCHMARKS.md around a soak's summary. */
    static String section(String assets, String summary) {
        return SECTION + "\nThe latest `benchmarks/run.sh --soak` (a run of its own, not part of the comparison above; "
                + "every sample: [`" + assets + "/" + Report.SOAK + "`](" + assets + "/" + Report.SOAK + ")):\n\n"
                + summary.strip() + "\n\n";
    }

    /** The markdown with its Soak section replaced, or inserted before "Concurrency" (else at the end). */
    static String withSection(String markdown, String section) {
        int at = markdown.indexOf("\n" + SECTION);
        if (at >= 0) {
            int next = markdown.indexOf("\n## ", at + 1);
            return markdown.substring(0, at + 1) + section + (next < 0 ? "" : markdown.substring(next + 1));
        }
        int before = markdown.indexOf("\n## Concurrency");
        if (before < 0) {
            return markdown.endsWith("\n") ? markdown + "\n" + section : markdown + "\n\n" + section;
        }
        return markdown.substring(0, before + 1) + section + markdown.substring(before + 1);
    }

    static String summary(SoakResult r) {
        SoakSample base = r.baseline();
        SoakSample end = r.end();
        StringBuilder md = new StringBuilder();
        md.append("**").append(r.clean() ? "Clean" : "Not clean").append("**: ").append(r.minutes())
                .append(" min on ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .withZone(ZoneOffset.UTC).format(r.began()))
                .append(" at ").append(Report.fmt(r.callRate(), 0)).append(" calls/s (media anchored) and ")
                .append(Report.fmt(r.registerRate(), 0)).append(" REGISTER/s over ").append(r.clients())
                .append(" clients (").append(r.rateSource()).append(").\n\n");
        md.append("- heap after a full GC: ").append(base == null ? "–" : mb(base.heapBytes()) + " MB at "
                + Report.fmt(base.minutes(), 1) + " min").append(" → ").append(end == null ? "–"
                        : mb(end.heapBytes()) + " MB at " + Report.fmt(end.minutes(), 1) + " min")
                .append(": **").append(end == null ? "not read at the end" : base == null ? "not read before the end"
                        : r.heapFlat() ? "flat" : "growing")
                .append("** (tolerance: the larger of ")
                .append(Report.fmt(100 * SoakResult.TOLERANCE_SHARE, 0)).append(" % and ")
                .append(SoakResult.TOLERANCE_BYTES / 1048576).append(" MB)\n");
        md.append("- left once the load stopped: ").append(r.callsLeft()).append(" calls on the gateway, ")
                .append(r.sessionsLeft()).append(" rtpengine sessions\n");
        long calls = r.samples().stream().mapToLong(s -> s.calls().attempts()).sum();
        long registers = r.samples().stream().mapToLong(s -> s.registers().attempts()).sum();
        md.append("- failed operations: ").append(r.errors()).append(" of ").append(calls).append(" calls and ")
                .append(registers).append(" registrations\n");
        md.append("- SEVERE or ERROR lines in the gateway's server.log: ").append(r.logErrors()).append('\n');
        SoakSample w = r.warmUp();
        if (w != null) {
            md.append("- first window at these rates (a warm-up, not judged): ").append(warmUpText(w)).append('\n');
        }
        return md.toString();
    }

    /** The warm-up window's calls and registrations: what came back, what failed and how, setup p99. */
    private static String warmUpText(SoakSample w) {
        return "calls " + w.calls().succeeded() + " / " + w.calls().attempts() + " ok (" + w.calls().describeFailures()
                + "), REGISTER " + w.registers().succeeded() + " / " + w.registers().attempts() + " ok ("
                + w.registers().describeFailures() + "), call setup p99 " + Report.fmt(w.calls().p99Millis(), 1)
                + " ms";
    }

    static String markdown(SoakResult r) {
        StringBuilder md = new StringBuilder("# Soak: the gateway under a steady load\n\n");
        md.append("Generated by `benchmarks/run.sh --soak ").append(r.minutes()).append("` (rewritten by each soak; do "
                + "not edit by hand).\n\n").append(BEGIN).append('\n').append(summary(r)).append(END).append("\n\n");
        md.append("![heap after GC and live calls over time](").append(CHART).append(")\n\n");
        md.append("## Method\n\nThe gateway alone (media anchored on rtpengine, the demo IMS core, the SIPp UAS; the "
                + "same set-up as the comparison), warmed up, then ").append(r.clients()).append(" clients connected "
                        + "and registered. Calls (1 s of hold) and re-registrations then run side by side at fixed "
                        + "open-loop rates in windows of 30 s, after the same warm-up as the comparison's restarted "
                        + "JVMs (calls at rising rates, then until the JIT compiler has settled). The first window at "
                        + "the soak's rates is a warm-up too (the heap grows to its working size): its result is in the "
                        + "summary, not judged; the server.log count covers the whole run, warm-ups included. In the "
                        + "middle of each window (the time in the first column) the gateway's live calls "
                        + "(`GET /api/calls`) and rtpengine's sessions (ng `list`) are read; once its load has ended, "
                        + "about 16 s later (the next window starts after it), the live objects after a full GC are "
                        + "read (the total of `jcmd GC.class_histogram`, which collects first and counts only what "
                        + "is reachable: the heap in use read after `GC.run` would also hold what the load allocated "
                        + "in between). That full GC stops the gateway for 200 to 400 ms; read under load, it alone "
                        + "made the SIP work wait past its overload target and refuse requests. The heap is **flat** "
                        + "when at the end it is within the tolerance of its reading after the first ")
                .append(Report.fmt(SoakResult.BASELINE_MINUTES, 0)).append(" min (half the soak, if shorter; a "
                        + "failed reading is skipped, but the last window's must have been read, or the soak is not "
                        + "judged clean). "
                        + "After the last window the load stops, and once it has settled the calls and media sessions "
                        + "left are read: both should be 0.\n\n");
        md.append("## Samples\n\n| min | heap after GC MB | calls on the gateway | rtpengine sessions | calls ok / "
                + "started | call failures | REGISTER ok / started | REGISTER failures | call setup p99 ms |\n"
                + "|---:|---:|---:|---:|---:|---|---:|---|---:|\n");
        for (SoakSample s : r.samples()) {
            md.append("| ").append(Report.fmt(s.minutes(), 1)).append(" | ").append(mb(s.heapBytes())).append(" | ")
                    .append(s.gatewayCalls()).append(" | ").append(s.mediaSessions()).append(" | ")
                    .append(s.calls().succeeded()).append(" / ").append(s.calls().attempts()).append(" | ")
                    .append(s.calls().describeFailures()).append(" | ").append(s.registers().succeeded())
                    .append(" / ").append(s.registers().attempts()).append(" | ")
                    .append(s.registers().describeFailures()).append(" | ")
                    .append(Report.fmt(s.calls().p99Millis(), 1)).append(" |\n");
        }
        if (!r.logExamples().isEmpty()) {
            md.append("\n**First SEVERE or ERROR lines of server.log**\n\n```\n");
            r.logExamples().forEach(l -> md.append(l.length() > 300 ? l.substring(0, 300) + " ..." : l).append('\n'));
            md.append("```\n");
        }
        md.append("\nLogs: `benchmarks/target/run/soak/`.\n");
        return md.toString();
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "?" : Report.fmt(bytes / 1048576.0, 1);
    }

    private static void writeChart(SoakResult r, Path png) throws IOException {
        List<SoakSample> s = r.samples();
        Chart.write(png, "Soak: " + Report.fmt(r.callRate(), 0) + " calls/s and " + Report.fmt(r.registerRate(), 0)
                + " REGISTER/s for " + r.minutes() + " min", List.of(
                new Chart.Panel("Heap in use after a full GC", "minutes", "MB", false, false, List.of(
                        new Chart.Series("heap after GC", s.stream().map(x -> new double[] {x.minutes(),
                                x.heapBytes() / 1048576.0}).toList(), new Color(31, 119, 180), false))),
                new Chart.Panel("Live calls and media sessions", "minutes", "count", false, false, List.of(
                        new Chart.Series("calls on the gateway", s.stream().map(x -> new double[] {x.minutes(),
                                x.gatewayCalls()}).toList(), new Color(255, 127, 14), false),
                        new Chart.Series("rtpengine sessions", s.stream().map(x -> new double[] {x.minutes(),
                                x.mediaSessions()}).toList(), new Color(44, 160, 44), true)))), 2);
    }
}

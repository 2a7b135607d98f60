package org.webims.gateway.it.fuzz;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.concurrent.TimeUnit;
import org.webims.gateway.it.support.AdminApi;

/**
 * One fuzz run with its checks around it: the server's heap after a full GC before and after, the log from the
 * start of the run scanned for crashes, the calls the gateway still holds once the fuzz calls are hung up, and the
 * report printed and written.
 */
public final class SipFuzzRun {
    /** What the checks found, with the report text. */
    public record Outcome(List<SipFuzzer.Liveness> failedLiveness, int callsLeft, int crashes, long heapGrowth,
                          String report) {
    }

    private SipFuzzRun() {}

    /**
     * @param defaultInputs the number of inputs unless {@code fuzz.inputs} says otherwise
     * @param mediaSessionsLeft how many sessions the media gateway (rtpengine) still holds
     * @param callsWait     how long the calls may take to end after the run
     */
    public static Outcome run(long defaultInputs, Path serverHome, AdminApi api, IntSupplier mediaSessionsLeft,
                              Path reportDir, Duration callsWait) throws Exception {
        SipFuzzer.Settings settings = SipFuzzer.Settings.fromSystemProperties(defaultInputs);
        System.out.printf("fuzz: seed 0x%x, %d inputs%n", settings.seed(), settings.inputs());
        ServerJvm jvm = ServerJvm.of(serverHome).orElseThrow(() ->
                new IllegalStateException("no JVM runs with jboss.home.dir " + serverHome));
        long heapBefore = jvm.heapAfterFullGc();
        Map<String, Long> classesBefore = jvm.classHistogram();
        ServerLog log = ServerLog.markEnd(serverHome.resolve("standalone/log/server.log"));

        SipFuzzer.Result result = new SipFuzzer(settings).run();

        long deadline = System.nanoTime() + callsWait.toNanos();
        int callsLeft = api.calls().size();
        while (callsLeft > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200); // polling the admin API, bounded
            callsLeft = api.calls().size();
        }
        long heapAfter = jvm.heapAfterFullGc();
        Map<String, Long> classesAfter = jvm.classHistogram();
        long settle = Long.getLong("fuzz.settle-seconds", 0);
        if (settle > 0) {
            // what the stack still holds for transactions that just ended (RFC 3261 §17 timers) is not a leak:
            // measured again once they have expired
            TimeUnit.SECONDS.sleep(settle);
            heapAfter = jvm.heapAfterFullGc();
            classesAfter = jvm.classHistogram();
        }
        List<String> growth = ServerJvm.growth(classesBefore, classesAfter, 12);
        ServerLog.Findings findings = log.since();
        FuzzReport report = new FuzzReport(result, callsLeft, mediaSessionsLeft.getAsInt(), findings, heapBefore,
                heapAfter, growth);
        Path file = report.write(reportDir);
        String text = String.join("\n", report.lines());
        System.out.println(text + "\n(written to " + file.toAbsolutePath() + ")");
        return new Outcome(result.liveness().stream().filter(l -> !l.ok()).toList(), callsLeft,
                findings.crashCount(), heapAfter - heapBefore, text);
    }
}

package org.webims.gateway.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.webims.gateway.bench.load.LoadGenerator;
import org.webims.gateway.bench.load.StepResult;

/**
 * A steady load on the gateway for a long time, read every {@link #WINDOW}: calls (media anchored) and
 * re-registrations at fixed rates, each window run as one step of each side by side; in the middle of each window the
 * heap after a full GC, the gateway's live calls and rtpengine's sessions. Flat readings under the same load mean
 * nothing accumulates; after the load, calls and media sessions must be back to none.
 */
final class Soak {
    static final Duration WINDOW = Duration.ofSeconds(30);
    private static final int LOG_EXAMPLES = 5;

    private final GatewayTarget gateway;
    private final LoadGenerator gen;
    private final Duration callHold;

    Soak(GatewayTarget gateway, LoadGenerator gen, Duration callHold) {
        this.gateway = gateway;
        this.gen = gen;
        this.callHold = callHold;
    }

    SoakResult run(int minutes, double callRate, double registerRate, String rateSource, Duration settle) {
        Instant began = Instant.now();
        long start = System.nanoTime();
        int windows = (int) Math.max(1, Math.ceil(minutes * 60.0 / WINDOW.toSeconds()));
        List<SoakSample> samples = new ArrayList<>();
        AdminApi api = gateway.adminApi();
        ExecutorService load = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "soak-load");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int w = 0; w < windows; w++) {
                CompletableFuture<StepResult> calls = CompletableFuture.supplyAsync(
                        () -> gen.callStep(callRate, WINDOW, callHold), load);
                CompletableFuture<StepResult> registers = CompletableFuture.supplyAsync(
                        () -> gen.registerStep(registerRate, WINDOW), load);
                Proc.sleep(WINDOW.dividedBy(2));
                double at = (System.nanoTime() - start) / 60e9;
                long heap = gateway.liveBytes();
                int live = liveCalls(api);
                int sessions = Peers.ngSessions();
                SoakSample sample = new SoakSample(at, heap, live, sessions, calls.join(), registers.join());
                samples.add(sample);
                BenchmarkRun.log("soak %.1f min: heap after GC %.1f MB, %d calls on the gateway, %d rtpengine "
                        + "sessions; %s; %s", at, heap / 1048576.0, live, sessions, sample.calls(),
                        sample.registers());
            }
        } finally {
            load.shutdownNow();
        }
        Proc.sleep(settle);
        int callsLeft = liveCalls(api);
        int sessionsLeft = Peers.ngSessions();
        BenchmarkRun.log("soak: load stopped; %d calls left on the gateway, %d rtpengine sessions", callsLeft,
                sessionsLeft);
        List<String> errors = logErrors(gateway.serverLog());
        return new SoakResult(began, minutes, callRate, registerRate, rateSource, gen.registeredClients(), samples,
                callsLeft, sessionsLeft, errors.size(), errors.subList(0, Math.min(LOG_EXAMPLES, errors.size())));
    }

    private static int liveCalls(AdminApi api) {
        try {
            return api.calls();
        } catch (IOException e) {
            BenchmarkRun.log("soak: GET /api/calls failed: %s", e.getMessage());
            return -1;
        }
    }

    /** SEVERE and ERROR lines of a WildFly log (its default pattern: time, level, [category], message). */
    static List<String> logErrors(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                    .filter(Soak::isError).toList() : List.of();
        } catch (IOException e) {
            return List.of("server.log unreadable: " + e.getMessage());
        }
    }

    static boolean isError(String line) {
        return line.matches("^\\S+ \\S+ +(ERROR|SEVERE) +\\[.*") || line.matches("^\\S+ +(ERROR|SEVERE) +\\[.*");
    }
}

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
 * re-registrations at fixed rates, each window run as one step of each side by side. In the middle of each window the
 * gateway's live calls and rtpengine's sessions are read; between two windows, the load paused for the moment it
 * takes, the live objects after a full GC. Flat readings under the same load mean nothing accumulates; after the load,
 * calls and media sessions must be back to none. A first window at the same rates is a warm-up, reported apart.
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
        int windows = (int) Math.max(1, Math.ceil(minutes * 60.0 / WINDOW.toSeconds()));
        List<SoakSample> samples = new ArrayList<>();
        AdminApi api = gateway.adminApi();
        ExecutorService load = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "soak-load");
            t.setDaemon(true);
            return t;
        });
        Instant began;
        SoakSample warmUp;
        try {
            // the JIT and the heap's sizing settle at these rates first: what this window sees is no steady state
            warmUp = window(load, api, System.nanoTime(), callRate, registerRate);
            BenchmarkRun.log("soak warm-up window (not judged): %s; %s", warmUp.calls(), warmUp.registers());
            began = Instant.now();
            long start = System.nanoTime();
            for (int w = 0; w < windows; w++) {
                SoakSample sample = window(load, api, start, callRate, registerRate);
                samples.add(sample);
                BenchmarkRun.log("soak %.1f min: heap after GC %.1f MB, %d calls on the gateway, %d rtpengine "
                        + "sessions; %s; %s", sample.minutes(), sample.heapBytes() / 1048576.0, sample.gatewayCalls(),
                        sample.mediaSessions(), sample.calls(), sample.registers());
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
        return new SoakResult(began, minutes, callRate, registerRate, rateSource, gen.registeredClients(), warmUp,
                samples, callsLeft, sessionsLeft, errors.size(), errors.subList(0, Math.min(LOG_EXAMPLES,
                        errors.size())));
    }

    /**
     * One window: calls and re-registrations side by side; live calls and media sessions read in its middle, under
     * load; the live objects read once both steps have ended. Their full GC stops the gateway for a few hundred
     * milliseconds: under load that pause alone outlasts the SIP work's overload target (100 ms) and its queue then
     * takes as long to drain, so that a reading taken under load refused requests that only the reading had delayed.
     */
    private SoakSample window(ExecutorService load, AdminApi api, long start, double callRate, double registerRate) {
        CompletableFuture<StepResult> calls = CompletableFuture.supplyAsync(
                () -> gen.callStep(callRate, WINDOW, callHold), load);
        CompletableFuture<StepResult> registers = CompletableFuture.supplyAsync(
                () -> gen.registerStep(registerRate, WINDOW), load);
        Proc.sleep(WINDOW.dividedBy(2));
        double at = (System.nanoTime() - start) / 60e9;
        int live = liveCalls(api);
        int sessions = Peers.ngSessions();
        StepResult callResult = calls.join();
        StepResult registerResult = registers.join();
        return new SoakSample(at, gateway.liveBytes(), live, sessions, callResult, registerResult);
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

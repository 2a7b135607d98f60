package org.webims.gateway.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The charging peers of a run with charging on, as {@code bin/gateway run} starts them (deployment/charging, Erlang/OTP
 * diameter under {@code escript}): the test CDF (Rf) on {@link Ports#CDF} and the test OCS (Ro) on {@link Ports#OCS},
 * each writing one line per request to its records file. The OCS gives every subscriber a balance no benchmark can
 * use up, so every call is charged and none is refused for credit.
 */
final class ChargingPeers implements AutoCloseable {
    /** Seconds of credit of any subscriber: far more than a soak's calls add up to. */
    private static final long BALANCE_SECONDS = 1_000_000_000L;

    private final Path dir;
    private final List<Proc> started = new ArrayList<>();
    private Proc cdf;
    private Proc ocs;

    private ChargingPeers(Path dir) {
        this.dir = dir;
    }

    /** Starts both and waits until they listen; stops what started if either fails. */
    static ChargingPeers start(Path repo, Path dir) throws IOException {
        ChargingPeers peers = new ChargingPeers(dir);
        try {
            peers.startBoth(repo.resolve("deployment/charging"));
            return peers;
        } catch (IOException | RuntimeException e) {
            peers.close();
            throw e;
        }
    }

    /** Whether {@code escript} (Erlang/OTP, installed by {@code bin/gateway install}) is on the PATH. */
    static boolean available() {
        return !Proc.output(Duration.ofSeconds(5), "sh", "-c", "command -v escript").isBlank();
    }

    private void startBoth(Path scripts) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(cdfRecords());
        Files.deleteIfExists(ocsRecords());
        Path control = dir.resolve("ocs.control");
        Files.writeString(control, "mode answering\ngrant 60\nccfh -1\ndefault " + BALANCE_SECONDS + "\n");
        cdf = add(Proc.start("cdf", List.of("escript", scripts.resolve("charging_peer.escript").toString(),
                Integer.toString(Ports.CDF), cdfRecords().toString()), dir.resolve("cdf"), Map.of()));
        ocs = add(Proc.start("ocs", List.of("escript", scripts.resolve("credit_peer.escript").toString(),
                Integer.toString(Ports.OCS), ocsRecords().toString(), control.toString()), dir.resolve("ocs"),
                Map.of()));
        // each compiles its dictionary before it listens: a few seconds on a busy machine
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (Proc p : started) {
                if (!p.isAlive()) {
                    throw new IOException("the " + p.name() + " (escript) exited:\n" + p.tail(20));
                }
            }
            if (!Peers.tcpFree(Ports.CDF) && !Peers.tcpFree(Ports.OCS)) {
                return;
            }
            Proc.sleep(Duration.ofMillis(200));
        }
        throw new IOException("the CDF and OCS did not listen on " + Ports.CDF + " and " + Ports.OCS + " within 60 s");
    }

    /** The gateway's keys that send Rf to this CDF and Ro to this OCS. */
    List<String> gatewayProperties() {
        return List.of("-Dgateway.charging.mode=both",
                "-Dgateway.charging.rf.peers=" + Ports.HOST + ":" + Ports.CDF,
                "-Dgateway.charging.ro.peers=" + Ports.HOST + ":" + Ports.OCS);
    }

    /** Their processes, for CPU accounting. */
    Map<String, List<ProcessHandle>> processes() {
        return Map.of("CDF", Proc.tree(cdf.handle()), "OCS", Proc.tree(ocs.handle()));
    }

    /** What both have taken so far. */
    ChargingCounts counts() {
        return ChargingCounts.of(lines(cdfRecords()), lines(ocsRecords()));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Path cdfRecords() {
        return dir.resolve("cdf-records.txt");
    }

    private Path ocsRecords() {
        return dir.resolve("ocs-records.txt");
    }

    private Proc add(Proc p) {
        started.add(p);
        return p;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop(Duration.ofSeconds(10));
        }
        started.clear();
    }
}

package org.webims.gateway.it.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo IMS core as a test peer: Kamailio running {@code deployment/ims-core/kamailio.cfg} on 127.0.0.1 (udp
 * and tcp, port 5070 unless told otherwise) in its own run directory, with the demo subscribers
 * ({@code alice@ims.example.test} / {@code alice-demo-secret}, {@code bob@...} / {@code bob-demo-secret},
 * {@code bench<N>@...} / {@code bench-secret}). It stands in for the S-CSCF: digest-authenticated REGISTER with
 * Path, routing toward registered users along their Path, relaying anything else as it is.
 *
 * <pre>{@code
 * try (ImsCore core = ImsCore.start()) {
 *     ... register through the gateway ...
 *     assertTrue(core.locationDump().contains("Path: <sip:"));
 * }
 * }</pre>
 *
 * The repository is found through the system property {@code gateway.repo} (set by the Maven build), else
 * {@code ..}. Kamailio's log is {@link #log()}; the run directory is kept under {@code target/peers}.
 */
public final class ImsCore implements AutoCloseable {

    public static final String DOMAIN = "ims.example.test";
    public static final int DEFAULT_PORT = 5070;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path runDir;
    private final String ctl;

    private ImsCore(Process process, int port, Path runDir, String ctl) {
        this.process = process;
        this.port = port;
        this.runDir = runDir;
        this.ctl = ctl;
    }

    /** Starts the core on 127.0.0.1:5070 with 64 MB of shared memory. */
    public static ImsCore start() throws IOException {
        return builder().start();
    }

    /** Starts the core on 127.0.0.1:{@code port}. */
    public static ImsCore start(int port) throws IOException {
        return builder().port(port).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Port of the core on 127.0.0.1 (udp and tcp). */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}. */
    public String hostPort() {
        return PeerProcesses.LOOPBACK + ":" + port;
    }

    /** The core as next hop, the form of {@code gateway.ims.proxy}: {@code sip:127.0.0.1:PORT;lr}. */
    public String proxyUri() {
        return "sip:" + hostPort() + ";lr";
    }

    public Path runDir() {
        return runDir;
    }

    /** Kamailio's stdout and stderr. */
    public Path log() {
        return runDir.resolve("kamailio.log");
    }

    /** The location table ({@code kamcmd ul.dump}): AoRs, contacts, Path, expiry. */
    public String locationDump() throws IOException {
        return kamcmd("ul.dump");
    }

    /** Runs one kamcmd command against this instance and returns its output; fails when kamcmd does. */
    public String kamcmd(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("kamcmd", "-s", ctl));
        cmd.addAll(List.of(command));
        PeerProcesses.Output out = PeerProcesses.run(Duration.ofSeconds(5), cmd);
        if (out.exitCode() != 0) {
            throw new IOException("kamcmd " + String.join(" ", command) + " failed (" + out.exitCode() + "): "
                    + out.text());
        }
        return out.text();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops Kamailio (SIGTERM, then SIGKILL for it and its children after 10 s). */
    @Override
    public void close() {
        PeerProcesses.stop(process, STOP_GRACE);
    }

    /** Options of {@link ImsCore#start()}. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private int sharedMemoryMb = 64;
        private int pkgMemoryMb = 8;
        private final List<String> defines = new ArrayList<>();

        private Builder() {
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Shared and per-process memory ({@code -m}, {@code -M}); load tests want e.g. 2048 and 32. */
        public Builder memory(int sharedMb, int pkgMb) {
            this.sharedMemoryMb = sharedMb;
            this.pkgMemoryMb = pkgMb;
            return this;
        }

        /**
         * A pre-processor define of kamailio.cfg ({@code -A}): {@code "IMS_TRACE"} logs every request and reply,
         * {@code "IMS_CHILDREN=16"} sets the workers, {@code "IMS_FR_TIMER=3000"} the final response timer (ms).
         */
        public Builder define(String define) {
            defines.add(define);
            return this;
        }

        public ImsCore start() throws IOException {
            Path repo = Path.of(System.getProperty("gateway.repo", "..")).toAbsolutePath().normalize();
            Path cfg = repo.resolve("deployment/ims-core/kamailio.cfg");
            if (!Files.isRegularFile(cfg)) {
                throw new IOException("no " + cfg + " (set -Dgateway.repo to the repository)");
            }
            Path runDir = PeerProcesses.newRunDir("ims-core-" + port);
            Path socket = runDir.resolve("kamailio_ctl");
            if (socket.toString().length() > 100) { // unix socket paths are short
                socket = Files.createTempDirectory("ims-ctl").resolve("ctl");
            }
            String ctl = "unix:" + socket;
            List<String> cmd = new ArrayList<>(List.of("kamailio", "-f", cfg.toString(), "-DD", "-E",
                    "-Y", runDir.toString(), "-P", runDir.resolve("kamailio.pid").toString(), "-w", runDir.toString(),
                    "-m", Integer.toString(sharedMemoryMb), "-M", Integer.toString(pkgMemoryMb),
                    "-A", "IMS_PORT=" + port, "-A", "IMS_CTL=\"" + ctl + "\""));
            for (String define : defines) {
                cmd.add("-A");
                cmd.add(define);
            }
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(runDir.resolve("kamailio.log").toFile()).start();
            ImsCore core = new ImsCore(process, port, runDir, ctl);
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("kamailio exited (" + process.exitValue() + ") on start:\n"
                            + PeerProcesses.tail(core.log(), 30));
                }
                try {
                    core.kamcmd("core.uptime");
                    return core;
                } catch (IOException notYet) {
                    sleep(50);
                }
            }
            core.close();
            throw new IOException("kamailio not answering on " + ctl + " after " + START_TIMEOUT + ":\n"
                    + PeerProcesses.tail(core.log(), 30));
        }

        private static void sleep(long millis) throws IOException {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}

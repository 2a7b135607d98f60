package org.webims.gateway.it.peers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the peer classes share: where their run directories go, free loopback ports, running a short command and
 * stopping a long-running process together with its children. Package-private helper.
 */
final class PeerProcesses {

    static final String LOOPBACK = "127.0.0.1";

    private PeerProcesses() {
    }

    /**
     * A new run directory for one peer: under {@code target/peers} of the module when the tests run from it
     * (kept for post-mortem, removed by {@code mvn clean}), else under the system temp directory.
     */
    static Path newRunDir(String prefix) {
        try {
            Path base = Files.isDirectory(Path.of("target"))
                    ? Files.createDirectories(Path.of("target", "peers"))
                    : Path.of(System.getProperty("java.io.tmpdir"));
            return Files.createTempDirectory(base.toAbsolutePath(), prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory for " + prefix, e);
        }
    }

    /** Next candidate port per range start: ports handed out are never handed out again by this JVM. */
    private static final Map<Integer, Integer> NEXT_PORT = new HashMap<>();

    /**
     * A UDP and TCP port on 127.0.0.1 that nothing uses right now, counting up from {@code from}. Ports handed out
     * once are skipped afterwards, so peers started at the same moment (before they bind) never get the same one.
     */
    static synchronized int freePort(int from) {
        int start = NEXT_PORT.getOrDefault(from, from);
        for (int port = start; port < from + 1000; port++) {
            if (isFree(port)) {
                NEXT_PORT.put(from, port + 1);
                return port;
            }
        }
        NEXT_PORT.remove(from); // wrap around once
        for (int port = from; port < start; port++) {
            if (isFree(port)) {
                NEXT_PORT.put(from, port + 1);
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 in " + from + ".." + (from + 999));
    }

    static boolean isFree(int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(LOOPBACK), port);
            tcp.bind(address);
            new DatagramSocket(address).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a short command, returns its exit code and output; kills it after {@code maxWait}. */
    static Output run(Duration maxWait, List<String> command) throws IOException {
        Path output = Files.createTempFile("peer-cmd", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                if (!process.waitFor(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                    stop(process, Duration.ZERO);
                    throw new IOException(String.join(" ", command) + " did not finish in " + maxWait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(process, Duration.ZERO);
                throw new IOException("interrupted while running " + command, e);
            }
            return new Output(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * Stops a process and everything it started: SIGTERM, up to {@code grace} for it to exit, then SIGKILL for it
     * and for any child left behind.
     */
    static void stop(Process process, Duration grace) {
        List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** Waits a polling interval; an interrupt ends the wait early and stays set for the caller's loop to see. */
    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Last lines of a log file, for error messages. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    /** Exit code and combined stdout/stderr of a finished command. */
    record Output(int exitCode, String text) {
    }
}

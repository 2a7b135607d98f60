package org.webims.gateway.diameter.testpeer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tests' CDF: {@code src/test/erlang/charging_peer.escript} on Erlang/OTP's diameter application, a real RFC 6733
 * peer on 127.0.0.1, started and stopped by the test (and startable again on the same port, as after a restart).
 * Its accounting records go to a file under {@code target/erlang-peer}.
 */
public final class ErlangCdf implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(20);
    private final int port;
    private final Path records;
    private final Path log;
    private final boolean silent;
    private Process process;

    private ErlangCdf(int port, Path records, Path log, boolean silent) {
        this.port = port;
        this.records = records;
        this.log = log;
        this.silent = silent;
    }

    /** On a free port of 127.0.0.1. */
    public static ErlangCdf start() throws Exception {
        return start(false);
    }

    /** On a free port of 127.0.0.1; a silent one writes each ACR and never answers it. */
    public static ErlangCdf start(boolean silent) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path dir = Files.createDirectories(Path.of("target", "erlang-peer"));
        ErlangCdf cdf = new ErlangCdf(port, Files.createTempFile(dir, "records-", ".txt"),
                dir.resolve("peer-" + port + ".log"), silent);
        cdf.restart();
        return cdf;
    }

    /** Starts it (again) on its port and waits until it listens. */
    public void restart() throws Exception {
        process = new ProcessBuilder("escript", Path.of("src/test/erlang/charging_peer.escript").toAbsolutePath()
                .toString(), Integer.toString(port), records.toString(), silent ? "silent" : "answering")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Erlang peer exited: " + Files.readString(log));
            }
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the Erlang peer did not listen within " + START);
    }

    public int port() {
        return port;
    }

    /** The accounting records it took, one line each. */
    public List<String> records() throws IOException {
        return Files.readAllLines(records, StandardCharsets.UTF_8);
    }

    /** Stops it as a crash would: SIGKILL, no DPR. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}

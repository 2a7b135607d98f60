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
 * The tests' CDF: {@code erlang/charging_peer.escript} (a test resource, with its Rf dictionary {@code rf_3gpp.dia}) on
 * Erlang/OTP's diameter application, a real RFC 6733 peer on 127.0.0.1, started and stopped by the test (and startable
 * again on the same port, as after a restart). Its accounting records go to a file under {@code target/erlang-peer},
 * one line each ({@link AccountingLine}). Also used by the black-box tests (this module's test jar).
 */
public final class ErlangCdf implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(20);
    private final int port;
    private final Path records;
    private final Path log;
    private volatile boolean silent;
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
        return start(port, silent);
    }

    /** On that port of 127.0.0.1. */
    public static ErlangCdf start(int port, boolean silent) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "erlang-peer"));
        ErlangCdf cdf = new ErlangCdf(port, Files.createTempFile(dir, "records-" + port + "-", ".txt"),
                dir.resolve("peer-" + port + ".log"), silent);
        cdf.restart();
        return cdf;
    }

    /** The escript and its dictionary, copied out of the class path once (escript needs files). */
    private static synchronized Path script() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "erlang-peer", "scripts"));
        for (String name : List.of("charging_peer.escript", "rf_3gpp.dia")) {
            try (var in = ErlangCdf.class.getResourceAsStream("/erlang/" + name)) {
                if (in == null) {
                    throw new IOException("test resource erlang/" + name + " missing");
                }
                Files.copy(in, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir.resolve("charging_peer.escript").toAbsolutePath();
    }

    /** Starts it again on its port, answering or silent, and waits until it listens. */
    public void restart(boolean silently) throws Exception {
        this.silent = silently;
        restart();
    }

    /** Starts it (again) on its port and waits until it listens. */
    public void restart() throws Exception {
        process = new ProcessBuilder("escript", script().toString(), Integer.toString(port),
                records.toAbsolutePath().toString(), silent ? "silent" : "answering")
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

    /** The accounting records it took, decoded. */
    public List<AccountingLine> accountingRecords() throws IOException {
        return records().stream().map(AccountingLine::parse).toList();
    }

    /** Whether the process runs. */
    public boolean alive() {
        return process != null && process.isAlive();
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

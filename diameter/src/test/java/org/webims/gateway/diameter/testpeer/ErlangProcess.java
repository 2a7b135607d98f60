package org.webims.gateway.diameter.testpeer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the tests' Erlang/OTP diameter peers ({@code erlang/*.escript}, test resources with their dictionaries) as
 * a process on 127.0.0.1: started, killed as a crash would, started again on the same port; what it took goes to a
 * records file under {@code target/erlang-peer}, one line each.
 */
final class ErlangProcess {
    private static final Duration START = Duration.ofSeconds(20);
    private static final List<String> RESOURCES = List.of("charging_peer.escript", "rf_3gpp.dia",
            "credit_peer.escript", "ro_3gpp.dia", "policy_peer.escript", "rx_3gpp.dia", "peer_files.erl");
    private final String script;
    private final int port;
    private final Path records;
    private final Path log;
    private Process process;

    ErlangProcess(String script, int port) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "erlang-peer"));
        this.script = script;
        this.port = port;
        this.records = Files.createTempFile(dir, "records-" + port + "-", ".txt");
        this.log = dir.resolve("peer-" + port + ".log");
    }

    static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    /** The escripts, their shared module and dictionaries, copied out of the class path (escript needs files). */
    private static synchronized Path scripts() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "erlang-peer", "scripts"));
        for (String name : RESOURCES) {
            try (var in = ErlangProcess.class.getResourceAsStream("/erlang/" + name)) {
                if (in == null) {
                    throw new IOException("test resource erlang/" + name + " missing");
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir.toAbsolutePath();
    }

    /** Starts it (again) on its port with these arguments after port and records file; waits until it listens. */
    void start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("escript", scripts().resolve(script).toString(),
                Integer.toString(port), records.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true)
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

    int port() {
        return port;
    }

    List<String> records() throws IOException {
        return Files.readAllLines(records, StandardCharsets.UTF_8);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Freezes it (SIGSTOP): the connection stays open, nothing is answered, not even watchdogs. */
    void pause() throws Exception {
        signal("-STOP");
    }

    /** Thaws it (SIGCONT). */
    void resume() throws Exception {
        signal("-CONT");
    }

    private void signal(String which) throws Exception {
        Process kill = new ProcessBuilder("kill", which, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill " + which + " " + process.pid() + " failed");
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    void close() throws Exception {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            resume(); // a frozen process would not take SIGTERM
        }
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}

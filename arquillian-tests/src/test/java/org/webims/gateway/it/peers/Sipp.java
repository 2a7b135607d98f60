package org.webims.gateway.it.peers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * SIPp as a test peer (IMS phones, load generators), bound to 127.0.0.1 only (SIP, media and its control socket,
 * whose port is unique per instance). Scenarios are files, or names of resources under {@code sipp/} on the test
 * class path ({@code message-uac.xml}, {@code options-uac.xml}, {@code uas-message.xml}).
 *
 * <pre>{@code
 * Sipp.Result r = Sipp.scenario("message-uac.xml").remote(core.hostPort())
 *         .key("ruri", "sip:alice@ims.example.test").key("from", "sip:bob@ims.example.test").key("text", "hi")
 *         .expect("200").run(Duration.ofSeconds(30));
 * assertTrue(r.ok(), r.describe());
 *
 * try (Sipp.Running uas = Sipp.scenario("uas-message.xml").localPort(5080).calls(1).start()) {
 *     ... make the WebRTC client send a MESSAGE to sip:uas@127.0.0.1:5080 ...
 *     assertTrue(uas.awaitLogLine("body=hello", Duration.ofSeconds(10)).isPresent());
 * }
 * }</pre>
 *
 * The outcome ({@link Result}) comes from the exit code (0: every call succeeded, 1: some failed, 97/99: stopped
 * without a successful call, 255/254: fatal or bind error), the {@code -trace_stat} counters, the scenario's
 * {@code <log>} lines ({@code FINAL <code>} for the UAC scenarios) and {@code -trace_err}. Every file is kept in
 * the instance's run directory under {@code target/peers}.
 */
public final class Sipp {

    private static final int FIRST_CONTROL_PORT = 8900;
    private static final int FIRST_SIP_PORT = 5200;

    private final Path scenario;
    private String remote;
    private int localPort;
    private String transport = "u1";
    private int calls = 1;
    private Duration recvTimeout = Duration.ofSeconds(20);
    private Duration globalTimeout;
    private boolean traceMessages = true;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final List<String> extraArgs = new ArrayList<>();

    private Sipp(Path scenario) {
        this.scenario = scenario;
    }

    /** A scenario file, or the name of a resource under {@code sipp/} on the class path. */
    public static Sipp scenario(String fileOrResource) {
        Path file = Path.of(fileOrResource);
        if (Files.isRegularFile(file)) {
            return new Sipp(file.toAbsolutePath());
        }
        URL url = Sipp.class.getClassLoader().getResource("sipp/" + fileOrResource);
        if (url == null) {
            throw new IllegalArgumentException("no SIPp scenario " + fileOrResource + " (file or resource sipp/...)");
        }
        try {
            return new Sipp(Path.of(url.toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException("scenario resource not on the file system: " + url, e);
        }
    }

    /** Where requests go (the positional remote address), e.g. {@code 127.0.0.1:5070}. Not needed for a UAS. */
    public Sipp remote(String hostPort) {
        this.remote = hostPort;
        return this;
    }

    /** Our SIP port on 127.0.0.1 ({@code -p}); default: a free port from 5200 up. */
    public Sipp localPort(int port) {
        this.localPort = port;
        return this;
    }

    /** {@code -t}: {@code u1} (UDP, the default), {@code t1} (TCP, one connection), {@code tn}, ... */
    public Sipp transport(String mode) {
        this.transport = mode;
        return this;
    }

    /** Number of calls before SIPp exits ({@code -m}); default 1. */
    public Sipp calls(int count) {
        this.calls = count;
        return this;
    }

    /** A {@code [keyword]} of the scenario ({@code -key}). */
    public Sipp key(String name, String value) {
        keys.put(name, value);
        return this;
    }

    /** A global variable of the scenario ({@code -set}); it must be declared in the scenario. */
    public Sipp set(String variable, String value) {
        variables.put(variable, value);
        return this;
    }

    /** For the UAC scenarios: the final response code the call must get, or {@code "any"}. */
    public Sipp expect(String code) {
        return set("expect", code);
    }

    /** Digest credentials for {@code [authentication]} ({@code -au}, {@code -ap}). */
    public Sipp auth(String username, String password) {
        return args("-au", username, "-ap", password);
    }

    /** A call fails when an expected message does not come within this ({@code -recv_timeout}); default 20 s. */
    public Sipp recvTimeout(Duration timeout) {
        this.recvTimeout = timeout;
        return this;
    }

    /** SIPp stops by itself after this ({@code -timeout}); default none. */
    public Sipp globalTimeout(Duration timeout) {
        this.globalTimeout = timeout;
        return this;
    }

    /** Whether every message is written to {@code messages.log} ({@code -trace_msg}); default true. */
    public Sipp traceMessages(boolean trace) {
        this.traceMessages = trace;
        return this;
    }

    /** Further SIPp arguments, e.g. {@code "-r", "100"} or {@code "-rsa", "127.0.0.1:5070"}. */
    public Sipp args(String... args) {
        extraArgs.addAll(Arrays.asList(args));
        return this;
    }

    /** Runs the scenario to its end, at most {@code maxWait} (then SIPp is stopped and the result says so). */
    public Result run(Duration maxWait) throws IOException {
        try (Running running = start()) {
            return running.await(maxWait);
        }
    }

    /** Starts SIPp in the background, e.g. a UAS; close the handle to stop it. */
    public Running start() throws IOException {
        String name = scenario.getFileName().toString().replaceFirst("\\.xml$", "");
        Path dir = PeerProcesses.newRunDir("sipp-" + name);
        int port = localPort > 0 ? localPort : PeerProcesses.freePort(FIRST_SIP_PORT);
        int controlPort = PeerProcesses.freePort(FIRST_CONTROL_PORT);
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", scenario.toString(),
                "-i", PeerProcesses.LOOPBACK, "-bind_local", "-p", Integer.toString(port),
                "-ci", PeerProcesses.LOOPBACK, "-cp", Integer.toString(controlPort),
                "-t", transport, "-m", Integer.toString(calls), "-nostdin",
                "-recv_timeout", Long.toString(recvTimeout.toMillis()),
                "-trace_err", "-error_file", dir.resolve("errors.log").toString(),
                "-trace_logs", "-log_file", dir.resolve("actions.log").toString(),
                "-trace_stat", "-stf", dir.resolve("stat.csv").toString(), "-fd", "1"));
        if (traceMessages) {
            cmd.addAll(List.of("-trace_msg", "-message_file", dir.resolve("messages.log").toString()));
        }
        if (globalTimeout != null) {
            cmd.addAll(List.of("-timeout", globalTimeout.toSeconds() + "s"));
        }
        keys.forEach((k, v) -> cmd.addAll(List.of("-key", k, v)));
        variables.forEach((k, v) -> cmd.addAll(List.of("-set", k, v)));
        cmd.addAll(extraArgs);
        if (remote != null) {
            cmd.add(remote);
        }
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
        Process process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new Running(process, dir, name, port);
    }

    /** A started SIPp; {@link #close()} stops it if it still runs. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path dir;
        private final String name;
        private final int port;

        private Running(Process process, Path dir, String name, int port) {
            this.process = process;
            this.dir = dir;
            this.name = name;
            this.port = port;
        }

        /** Our SIP port on 127.0.0.1. */
        public int port() {
            return port;
        }

        /** {@code 127.0.0.1:PORT}, e.g. for a request URI toward this UAS. */
        public String hostPort() {
            return PeerProcesses.LOOPBACK + ":" + port;
        }

        public Path runDir() {
            return dir;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** The scenario's {@code <log>} lines so far. */
        public List<String> logLines() {
            return readLines(dir.resolve("actions.log"));
        }

        /** Waits until a {@code <log>} line contains {@code fragment}; empty when it did not come in time. */
        public Optional<String> awaitLogLine(String fragment, Duration maxWait) {
            long deadline = System.nanoTime() + maxWait.toNanos();
            do {
                Optional<String> line = logLines().stream().filter(l -> l.contains(fragment)).findFirst();
                if (line.isPresent()) {
                    return line;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            } while (System.nanoTime() < deadline);
            return Optional.empty();
        }

        /** Waits for SIPp to end by itself, at most {@code maxWait}; then stops it (timedOut in the result). */
        public Result await(Duration maxWait) {
            boolean exited;
            try {
                exited = process.waitFor(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exited = false;
            }
            if (!exited) {
                PeerProcesses.stop(process, Duration.ofSeconds(5));
            }
            return result(!exited);
        }

        /** Stops SIPp now (SIGTERM: it writes its statistics and exits) and returns what it did so far. */
        public Result stop() {
            PeerProcesses.stop(process, Duration.ofSeconds(5));
            return result(false);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                PeerProcesses.stop(process, Duration.ofSeconds(5));
            }
        }

        private Result result(boolean timedOut) {
            long[] counts = counters(dir.resolve("stat.csv"));
            List<String> log = logLines();
            List<String> finals = log.stream().filter(l -> l.startsWith("FINAL "))
                    .map(l -> l.split(" ")[1]).toList();
            String errors = String.join("\n", readLines(dir.resolve("errors.log")));
            return new Result(name, process.isAlive() ? -1 : process.exitValue(), timedOut, counts[0], counts[1],
                    finals, log, errors, dir);
        }

        /** SuccessfulCall(C) and FailedCall(C) from the last line of the -trace_stat file; -1 when absent. */
        private static long[] counters(Path statFile) {
            List<String> lines = readLines(statFile);
            long[] counts = {-1, -1};
            if (lines.size() < 2) {
                return counts;
            }
            List<String> header = Arrays.asList(lines.get(0).split(";"));
            String[] last = lines.get(lines.size() - 1).split(";");
            int ok = header.indexOf("SuccessfulCall(C)");
            int failed = header.indexOf("FailedCall(C)");
            if (ok >= 0 && failed >= 0 && last.length > Math.max(ok, failed)) {
                counts[0] = Long.parseLong(last[ok].trim());
                counts[1] = Long.parseLong(last[failed].trim());
            }
            return counts;
        }

        private static List<String> readLines(Path file) {
            try {
                return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : List.of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * What a SIPp run did.
     *
     * @param exitCode   SIPp's exit code (0 all calls succeeded, 1 some failed, 97/99 no successful call, 255
     *                   fatal, 254 bind error), -1 if it still ran
     * @param timedOut   it did not end within the wait and was stopped
     * @param successful successful calls (-1 when the statistics file is missing)
     * @param failed     failed calls (-1 when the statistics file is missing)
     * @param finalCodes final response codes logged by the UAC scenarios ({@code FINAL <code>}), in order
     * @param logLines   every {@code <log>} line of the scenario
     * @param errors     the {@code -trace_err} file (unexpected messages, failed checks, timeouts)
     * @param runDir     command line, stdout, messages, statistics and logs of the run
     */
    public record Result(String scenario, int exitCode, boolean timedOut, long successful, long failed,
                         List<String> finalCodes, List<String> logLines, String errors, Path runDir) {

        /** Ended by itself, exit code 0 and no failed call. */
        public boolean ok() {
            return !timedOut && exitCode == 0 && failed <= 0;
        }

        /** The last final response code the UAC got, or null. */
        public String lastFinalCode() {
            return finalCodes.isEmpty() ? null : finalCodes.get(finalCodes.size() - 1);
        }

        /** One paragraph for assertion messages. */
        public String describe() {
            String err = errors.length() > 3000 ? errors.substring(0, 3000) + "..." : errors;
            return "sipp " + scenario + ": exit " + exitCode + (timedOut ? " (timed out)" : "") + ", " + successful
                    + " successful, " + failed + " failed, final codes " + finalCodes + ", run dir " + runDir
                    + (err.isBlank() ? "" : "\n" + err);
        }
    }
}

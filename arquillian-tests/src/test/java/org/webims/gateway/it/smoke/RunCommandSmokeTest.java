package org.webims.gateway.it.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;

/**
 * Smoke test of {@code bin/gateway run} from a clean clone: the committed tree (HEAD of the repository named by
 * the system property {@code gateway.repo}; uncommitted changes are deliberately not part of it) builds, comes up
 * with rtpengine, the demo IMS core and WildFly, a WebSocket client registers alice through it, the printed admin
 * credentials list her in the REST API, and Ctrl-C (SIGINT to the process group) stops everything it started.
 *
 * <p>Plain JUnit, not Arquillian: it uses the same ports (8080, 8443, 9990, 5060, 5070, 2223) as the Arquillian
 * tests, so the POM runs it in its own surefire execution ({@code run-command-smoke}, phase integration-test), after
 * theirs. The clone's console output goes to {@code target/smoke-run/gateway-run.log}; the run's other logs are
 * copied next to it before the clone is deleted. The enclosing build installed the packages
 * ({@code GATEWAY_SKIP_INSTALL=1}); the clone's build reuses the local Maven repository, offline when the
 * enclosing build is, and installs nothing into it.
 */
@Tag(RunCommandSmokeTest.TAG)
class RunCommandSmokeTest {
    /** The JUnit tag the POM selects this class by (and keeps it out of the Arquillian execution with). */
    static final String TAG = "run-command-smoke";

    private static final Duration PORTS_FREE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CLONE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(8);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final String HOST = "127.0.0.1";
    /** TCP listeners of a running gateway: http, https, management, Mw SIP, demo IMS core. */
    private static final int[] TCP_PORTS = {8080, 8443, 9990, 5060, 5070, 8099, 8280, 8281};
    private static final URI HEALTH = URI.create("http://127.0.0.1:9990/health/ready");
    private static final URI REGISTRATIONS = URI.create("https://127.0.0.1:8443/api/registrations");
    private static final String ORIGIN = "http://127.0.0.1:8080";
    private static final String RUNNING_BANNER = "WebRTC IMS gateway is running";
    private static final Pattern ADMIN_LINE =
            Pattern.compile("Admin \\(API\\+console\\)\\s+user\\s+(\\S+)\\s+password\\s+(\\S+)");
    /** Pid files `bin/gateway run` writes into its run dir, with a fragment of the command line each must have. */
    private static final Map<String, String> PID_FILES = new LinkedHashMap<>();

    static {
        PID_FILES.put("gateway", "gateway");
        PID_FILES.put("rtpengine", "rtpengine");
        PID_FILES.put("kamailio", "kamailio");
        PID_FILES.put("wildfly", "standalone.sh");
        PID_FILES.put("wildfly-java", "jboss-modules.jar");
        PID_FILES.put("support", "support-line");
        PID_FILES.put("keycloak", "keycloak");
        PID_FILES.put("shop", "ShopServer");
        PID_FILES.put("cdf", "charging_peer.escript");
        PID_FILES.put("ocs", "credit_peer.escript");
        PID_FILES.put("pcrf", "policy_peer.escript");
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .sslContext(org.webims.gateway.it.client.TestTls.trustingEveryCertificate()) // the API is https only
            .build();
    private Path workDir;
    private Path clone;
    private Path logDir;
    private Path runLog;
    private Process run;
    private Process watchdog;
    private long pgid = -1;
    /** pid file name -> pid of what `bin/gateway run` started (read from its run dir while it ran). */
    private final Map<String, Long> started = new LinkedHashMap<>();

    @Test
    void runFromACleanCloneComesUpRegistersAliceAndStopsEverythingOnCtrlC() throws Exception {
        long t0 = System.nanoTime();
        Path repo = Path.of(System.getProperty("gateway.repo", "..")).toRealPath();
        String head = command(Duration.ofSeconds(30), "git", "-C", repo.toString(), "rev-parse", "HEAD").trim();
        log("smoke test of `bin/gateway run` at commit " + head + " of " + repo
                + " (a clone: uncommitted changes of that working tree are not tested)");

        logDir = Files.createDirectories(Path.of("target", "smoke-run").toAbsolutePath());
        try (Stream<Path> old = Files.list(logDir)) {
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
        runLog = logDir.resolve("gateway-run.log");

        awaitPortsFree();

        workDir = Files.createTempDirectory("webims-smoke-");
        clone = workDir.resolve("webrtc-ims-gateway");
        command(CLONE_TIMEOUT, "git", "clone", "--quiet", repo.toString(), clone.toString());
        log("cloned into " + clone + " in " + seconds(t0) + " s");

        // ------------------------------------------------------------------ start, in its own process group
        long tStart = System.nanoTime();
        // a new session and process group, SIGINT at its default (a Ctrl-C in a terminal reaches a foreground
        // command that way even when this JVM inherited it ignored, as background jobs of shells do)
        ProcessBuilder builder = new ProcessBuilder("setsid", "env", "--default-signal=INT",
                clone.resolve("bin/gateway").toString(), "run")
                .directory(clone.toFile())
                .redirectErrorStream(true)
                .redirectOutput(runLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("GATEWAY_")); // the run under test uses the defaults
        env.remove("MAVEN_PROJECTBASEDIR");
        env.remove("MAVEN_CMD_LINE_ARGS");
        env.put("GATEWAY_SKIP_INSTALL", "1");
        env.put("GATEWAY_MAVEN_ARGS", mavenArgs());
        if (offline()) {
            env.put("npm_config_offline", "true"); // any npm step of the build: from the cache only, as Maven
        }
        log("starting: setsid bin/gateway run (GATEWAY_SKIP_INSTALL=1 GATEWAY_MAVEN_ARGS='" + mavenArgs()
                + "'), output in " + runLog);
        run = builder.start();
        pgid = awaitOwnProcessGroup(run);
        watchdog = startWatchdog();

        awaitRunning();
        long upSeconds = seconds(tStart);
        log("came up (build + start) in " + upSeconds + " s");

        String output = read(runLog);
        Path runDir = clone.resolve("target/run");
        for (Map.Entry<String, String> pidFile : PID_FILES.entrySet()) {
            Path f = runDir.resolve(pidFile.getKey() + ".pid");
            assertTrue(Files.isRegularFile(f), "no " + f + " while running" + tail());
            long pid = Long.parseLong(Files.readString(f).trim());
            assertTrue(isRunning(pid) && cmdline(pid).contains(pidFile.getValue()),
                    pidFile.getKey() + " (pid " + pid + ") is not running: '" + cmdline(pid) + "'" + tail());
            started.put(pidFile.getKey(), pid);
        }
        assertEquals(run.pid(), (long) started.get("gateway"), "gateway.pid names the `bin/gateway run` process");
        assertTrue(output.contains("ws://127.0.0.1:8080/sip"), "the banner shows the WebSocket URL" + tail());
        assertTrue(output.contains("alice@ims.example.test    alice-demo-secret"),
                "the banner lists the demo subscribers" + tail());

        Matcher admin = ADMIN_LINE.matcher(output);
        assertTrue(admin.find(), "the output has the admin credentials line" + tail());
        String adminUser = admin.group(1);
        String adminPassword = admin.group(2);
        assertEquals("admin", adminUser);
        assertEquals(adminPassword, Files.readString(runDir.resolve("admin-password")).trim(),
                "the printed password is the stored one");

        // ------------------------------------------------------------------ a WebSocket client registers
        try (WsSipClient alice = WsSipClient.connect(URI.create("ws://127.0.0.1:8080/sip"), ORIGIN,
                SipClientIdentity.alice(), "sip")) {
            alice.withTimeout(Duration.ofSeconds(15));
            assertEquals("sip", alice.subprotocol());
            SipMessage ok = alice.register(600);
            assertEquals(200, ok.status(), "REGISTER of alice through the gateway to the demo IMS core:\n" + ok
                    + tail());

            assertEquals(401, get(REGISTRATIONS, null).statusCode(), "the API needs the admin credentials");
            HttpResponse<String> listing = get(REGISTRATIONS, adminUser + ":" + adminPassword);
            assertEquals(200, listing.statusCode(), "GET /api/registrations as admin: " + listing.body() + tail());
            List<String> impus;
            try (JsonReader reader = Json.createReader(new StringReader(listing.body()))) {
                impus = reader.readArray().getValuesAs(JsonObject.class).stream()
                        .map(o -> o.getString("impu", "")).toList();
            }
            assertTrue(impus.contains("sip:alice@ims.example.test"), "alice is listed: " + listing.body());
        }
        log("alice registered and listed after " + seconds(t0) + " s");

        // ------------------------------------------------------------------ the third party's demo (issue 11)
        HttpResponse<String> shop = get(URI.create("http://127.0.0.1:8099/"), null);
        assertEquals(200, shop.statusCode(), "the example shop" + tail());
        assertTrue(shop.body().contains("Call our support") && shop.body().contains(ORIGIN + "/app/webims-client.js"),
                "the shop's page loads the gateway's client: " + shop.body());
        HttpResponse<String> signIn = get(URI.create(ORIGIN + "/waf/sign-in"), null);
        assertEquals(200, signIn.statusCode(), signIn.body() + tail());
        assertTrue(signIn.body().contains("http://127.0.0.1:8280/realms/ims"),
                "the web app offers sign-in at the demo's Keycloak: " + signIn.body());
        assertTrue(output.contains("Example third party  http://127.0.0.1:8099/"), "the banner names the shop" + tail());

        // ------------------------------------------------------------------ Ctrl-C
        long tStop = System.nanoTime();
        command(Duration.ofSeconds(10), "kill", "-INT", "--", "-" + pgid);
        long deadline = tStop + STOP_TIMEOUT.toNanos();
        List<String> left;
        do {
            run.waitFor(Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
            left = leftovers();
        } while ((run.isAlive() || !left.isEmpty()) && System.nanoTime() < deadline);
        assertFalse(run.isAlive(), "`bin/gateway run` still running " + STOP_TIMEOUT.toSeconds()
                + " s after SIGINT; its process group (zombies too), each thread's state:" + groupThreadStates()
                + tail());
        assertEquals(130, run.exitValue(), "`bin/gateway run` exits as interrupted (128 + SIGINT)" + tail());
        assertTrue(left.isEmpty(), "still running " + STOP_TIMEOUT.toSeconds() + " s after SIGINT:\n"
                + String.join("\n", left) + tail());
        List<Integer> listening = Arrays.stream(TCP_PORTS).filter(RunCommandSmokeTest::listening).boxed().toList();
        assertTrue(listening.isEmpty(), "still listening after the stop: " + listening + tail());
        assertTrue(read(runLog).contains("[gateway] stopped"), "the run logged its stop" + tail());
        log("stopped everything " + seconds(tStop) + " s after SIGINT; whole smoke test " + seconds(t0) + " s");
    }

    @AfterEach
    void cleanUp() {
        if (pgid > 0 && !groupMembers().isEmpty()) { // pgid is only set once it is the run's own group
            log("cleanup: killing process group " + pgid);
            quietly(() -> command(Duration.ofSeconds(10), "kill", "-KILL", "--", "-" + pgid));
        }
        if (run != null && run.isAlive()) {
            run.destroyForcibly();
        }
        started.forEach((name, pid) -> {
            if (isRunning(pid) && cmdline(pid).contains(PID_FILES.get(name))) {
                log("cleanup: killing " + name + " (pid " + pid + ")");
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        });
        if (clone != null) {
            for (long pid : processesMentioning(clone.toString())) {
                log("cleanup: killing pid " + pid + ": " + cmdline(pid));
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            copyLogs();
        }
        if (workDir != null) {
            deleteTree(workDir);
        }
        if (watchdog != null) {
            watchdog.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------------------------------------- steps

    /**
     * Maven arguments for the clone's build: the local repository the enclosing build uses (~/.m2 unless it was told
     * otherwise), install nothing into it.
     */
    private static String mavenArgs() {
        String args = offline() ? "-o -Dmaven.install.skip=true" : "-Dmaven.install.skip=true";
        String repo = System.getProperty("smoke.maven.repo", "").trim();
        if (!repo.isEmpty() && !repo.contains(" ")) { // GATEWAY_MAVEN_ARGS is split at blanks
            args += " -Dmaven.repo.local=" + repo;
        }
        String extra = System.getProperty("smoke.maven.args", "").trim();
        return extra.isEmpty() ? args : args + " " + extra;
    }

    /** Whether the enclosing Maven build runs offline (then so does the clone's build). */
    private static boolean offline() {
        return System.getProperty("smoke.maven.settings", "").contains("offline=true");
    }

    /** Waits (bounded) until nothing listens on our ports, e.g. the Arquillian tests' WildFly shutting down. */
    private static void awaitPortsFree() throws InterruptedException {
        long deadline = System.nanoTime() + PORTS_FREE_TIMEOUT.toNanos();
        List<Integer> busy;
        while (!(busy = Arrays.stream(TCP_PORTS).filter(RunCommandSmokeTest::listening).boxed().toList()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("ports " + busy + " on 127.0.0.1 still in use after " + PORTS_FREE_TIMEOUT.toSeconds()
                        + " s: another gateway or test server is running (`ss -ltnup`)");
            }
            Thread.sleep(1000);
        }
    }

    /**
     * Waits until the started process has become the leader of a new process group (setsid runs in the child
     * after start() returns) and returns that group; signals to it then never reach this JVM's own group.
     */
    private static long awaitOwnProcessGroup(Process process) throws InterruptedException {
        long own = processGroupOf(ProcessHandle.current().pid());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            String[] stat = stat(process.pid());
            if (stat != null && Long.parseLong(stat[2]) == process.pid() && process.pid() != own) {
                return process.pid();
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("`setsid bin/gateway run` (pid " + process.pid()
                        + ") did not become the leader of its own process group");
            }
            Thread.sleep(10);
        }
    }

    /**
     * A process outside both our process group and the run's that stops the run like Ctrl-C (then kills its group
     * and deletes the clone) if this JVM dies without cleaning up, e.g. when the enclosing Maven is interrupted;
     * the run's own session keeps a terminal's Ctrl-C from reaching it.
     */
    private Process startWatchdog() throws IOException {
        String script = """
                jvm=$1 pg=$2 dir=$3
                while kill -0 "$jvm" 2>/dev/null; do sleep 1; done
                kill -INT -- "-$pg" 2>/dev/null
                i=0
                while [ "$i" -lt 60 ] && kill -0 -- "-$pg" 2>/dev/null; do sleep 1; i=$((i + 1)); done
                kill -KILL -- "-$pg" 2>/dev/null
                rm -rf "$dir"
                """;
        return new ProcessBuilder("setsid", "bash", "-c", script, "smoke-watchdog",
                Long.toString(ProcessHandle.current().pid()), Long.toString(pgid), workDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /** Waits (bounded) for the banner and /health/ready 200; fails early if the run exits. */
    private void awaitRunning() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!run.isAlive()) {
                fail("`bin/gateway run` exited with " + run.exitValue() + " before the gateway was up" + tail());
            }
            if (read(runLog).contains(RUNNING_BANNER) && healthStatus() == 200) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("`bin/gateway run` not up (banner and " + HEALTH + " 200) after " + START_TIMEOUT.toMinutes()
                        + " min" + tail());
            }
            Thread.sleep(1000);
        }
    }

    private int healthStatus() {
        try {
            return get(HEALTH, null).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(URI uri, String basicCredentials) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (basicCredentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(basicCredentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the run left behind: started processes, members of its process group, processes naming the clone. */
    private List<String> leftovers() {
        Map<Long, String> left = new LinkedHashMap<>();
        started.forEach((name, pid) -> {
            if (pid != run.pid() && isRunning(pid) && cmdline(pid).contains(PID_FILES.get(name))) {
                left.put(pid, name + " (pid " + pid + "): " + cmdline(pid));
            }
        });
        for (long pid : groupMembers()) {
            left.putIfAbsent(pid, "pid " + pid + " in the process group: " + cmdline(pid));
        }
        for (long pid : processesMentioning(clone.toString())) {
            left.putIfAbsent(pid, "pid " + pid + ": " + cmdline(pid));
        }
        return new ArrayList<>(left.values());
    }

    private void copyLogs() {
        Path runDir = clone.resolve("target/run");
        List<Path> logs = new ArrayList<>();
        for (String name : List.of("wildfly.log", "kamailio.log", "rtpengine.log")) {
            logs.add(runDir.resolve(name));
        }
        logs.add(clone.resolve("deployment/target/server/standalone/log/server.log"));
        for (Path log : logs) {
            if (Files.isRegularFile(log)) {
                quietly(() -> Files.copy(log, logDir.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- processes

    /** Live (not zombie) processes whose process group is the run's. */
    private List<Long> groupMembers() {
        return allPids().stream().filter(pid -> {
            String[] stat = stat(pid);
            return stat != null && !"Z".equals(stat[0]) && Long.parseLong(stat[2]) == pgid;
        }).toList();
    }

    /** Live processes, other than this JVM, whose command line contains {@code fragment}. */
    private static List<Long> processesMentioning(String fragment) {
        long self = ProcessHandle.current().pid();
        return allPids().stream().filter(pid -> pid != self && isRunning(pid) && cmdline(pid).contains(fragment))
                .toList();
    }

    /** Every process of the run's group, zombies too, with each thread's state: what a stop that hangs waits for. */
    private String groupThreadStates() {
        StringBuilder out = new StringBuilder();
        for (long pid : allPids()) {
            String[] stat = stat(pid);
            if (stat == null || Long.parseLong(stat[2]) != pgid) {
                continue;
            }
            File[] tasks = new File("/proc/" + pid + "/task").listFiles();
            List<String> threads = tasks == null ? List.of() : Arrays.stream(tasks)
                    .map(task -> stat(task.toPath().resolve("stat"))).filter(Objects::nonNull).map(t -> t[0]).toList();
            out.append("\n  pid ").append(pid).append(' ').append(stat[0]).append(", threads ").append(threads)
                    .append(": ").append(cmdline(pid));
        }
        return out.toString();
    }

    private static List<Long> allPids() {
        File[] entries = new File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
        return entries == null ? List.of()
                : Arrays.stream(entries).map(f -> Long.parseLong(f.getName())).collect(Collectors.toList());
    }

    /** The process exists and is not a zombie. */
    private static boolean isRunning(long pid) {
        String[] stat = stat(pid);
        return stat != null && !"Z".equals(stat[0]);
    }

    private static long processGroupOf(long pid) {
        String[] stat = stat(pid);
        if (stat == null) {
            throw new AssertionError("no process " + pid);
        }
        return Long.parseLong(stat[2]);
    }

    /** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, ...; null if gone. */
    private static String[] stat(long pid) {
        return stat(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** The fields of a /proc stat file after the command name: state first, then ppid, pgrp, ... */
    private static String[] stat(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.ISO_8859_1);
            return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a short command; returns its output, fails on a non-zero exit or timeout. */
    private static String command(Duration maxWait, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("smoke-cmd", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = builder.start();
            if (!p.waitFor(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + maxWait);
            }
            String text = read(out);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    // ---------------------------------------------------------------------------------------------- small things

    private String tail() {
        String all = runLog == null ? "" : read(runLog);
        List<String> lines = all.replaceAll("\u001B\\[[;\\d]*m", "").lines().toList();
        return "\n---- last lines of " + runLog + " ----\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static long seconds(long sinceNanos) {
        return Math.round((System.nanoTime() - sinceNanos) / 1e9);
    }

    private static void log(String line) {
        System.out.println("[smoke] " + line);
    }

    private interface IoAction {
        void run() throws Exception;
    }

    private static void quietly(IoAction action) {
        try {
            action.run();
        } catch (Exception | AssertionError e) {
            log("cleanup: " + e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            log("cleanup: could not delete all of " + root + ": " + e);
        }
    }
}

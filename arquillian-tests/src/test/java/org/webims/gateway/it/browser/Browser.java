package org.webims.gateway.it.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code /usr/bin/chromium}) with pages that are WebRTC IMS clients (JsSIP), run by
 * {@code node driver.mjs} from the Node project {@code arquillian-tests/src/test/browser}.
 *
 * <pre>{@code
 * try (Browser browser = Browser.launch()) {          // serves the pages on http://127.0.0.1:8197
 *     Page alice = browser.open("alice");              // fake microphone: a 1 kHz tone
 *     Page bob = browser.open("bob", "440");           // a 440 Hz tone
 *     alice.call("register", Map.of("uri", "sip:alice@ims.example.test",
 *             "authorizationUser", "alice@ims.example.test", "password", "alice-demo-secret",
 *             "wsUri", "ws://127.0.0.1:8080/sip"));
 *     String callId = alice.call("call", "sip:bob@ims.example.test", Map.of("video", false)).asString();
 *     bob.waitEvent("newRTCSession", Duration.ofSeconds(10));
 *     bob.call("answer", Map.of("video", false));
 *     alice.waitEvent("confirmed", Duration.ofSeconds(10));
 *     assertEquals(440, alice.call("toneFrequency").asDouble(), 10);
 * }
 * }</pre>
 *
 * The gateway must allow the pages' origin ({@link #origin()}) in {@code gateway.ws.allowed-origins}. The Node
 * project is found through the system property {@code gateway.repo} (set by the Maven build; else {@code ..});
 * {@code npm ci} and the bundle build run once when {@code node_modules/} or {@code dist/} is missing or stale.
 * Other properties: {@code gateway.browser.node} (node executable), {@code gateway.browser.chromium},
 * {@code gateway.browser.port} (8197). The driver's stderr (its log and every page's console, prefixed by the page
 * name) goes to {@link #logFile()}. Every wait is bounded; {@link #close()} kills node and Chromium for sure.
 */
public final class Browser implements AutoCloseable {

    public static final int DEFAULT_PORT = 8197;
    public static final String DEFAULT_TONE = "1000";
    static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(2);
    private static final String PROJECT = "arquillian-tests/src/test/browser";
    private static final Object BUILD_MONITOR = new Object();

    private final DriverProcess driver;
    private final Path projectDir;
    private final Map<String, Page> pages = new ConcurrentHashMap<>();

    private Browser(DriverProcess driver, Path projectDir) {
        this.driver = driver;
        this.projectDir = projectDir;
    }

    /** A browser serving its pages on 127.0.0.1:8197 (or {@code gateway.browser.port}), microphone tone 1 kHz. */
    public static Browser launch() {
        return launch(Integer.getInteger("gateway.browser.port", DEFAULT_PORT), DEFAULT_TONE);
    }

    /**
     * A browser serving its pages on 127.0.0.1:{@code port}.
     *
     * @param tone the default fake microphone of its pages: Hz ({@code "1000"}, {@code "440"}, any other number is
     *             generated), the path of a WAV file, or {@code "none"} (Chromium's own beep)
     */
    public static Browser launch(int port, String tone) {
        Path dir = projectDir();
        prepare(dir);
        try {
            return new Browser(DriverProcess.start(dir, port, tone, "driver"), dir);
        } catch (DriverProcess.NoReply e) {
            throw new BrowserException(e.getMessage(), e);
        }
    }

    /** The pages' origin, e.g. {@code http://127.0.0.1:8197}: the gateway must allow it. */
    public String origin() {
        return driver.readyEvent().get("origin").asString();
    }

    /** The driver's log: its own lines and every page's console, each line prefixed by the page name. */
    public Path logFile() {
        return driver.logFile();
    }

    /** A new page (its own browser context) with the browser's default microphone tone. */
    public Page open(String name) {
        return open(name, null);
    }

    /**
     * A new page (its own browser context) whose fake microphone plays {@code tone}: Hz ({@code "440"}), a WAV path,
     * or {@code "none"}; null for the browser's default. Pages with another tone run in another Chromium process.
     */
    public Page open(String name, String tone) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "open");
        request.put("page", name);
        if (tone != null) {
            request.put("tone", tone);
        }
        request.put("timeoutMs", OPEN_TIMEOUT.toMillis());
        request(name, request, OPEN_TIMEOUT);
        Page page = new Page(this, name);
        pages.put(name, page);
        return page;
    }

    /**
     * Sends one request to the driver and waits for its reply, at most {@code timeout} plus a grace period (the
     * driver's own watchdog is {@code timeoutMs} of the request).
     */
    JsonLike request(String page, Map<String, Object> request, Duration timeout) {
        String what = describe(page, request);
        JsonLike answer;
        try {
            answer = driver.exchange(request, timeout);
        } catch (DriverProcess.NoReply e) {
            throw new BrowserException(what + ": " + e.getMessage(), null, consoleOf(page));
        }
        if (answer.get("ok").isNull() || !answer.get("ok").asBoolean()) {
            List<String> console = new ArrayList<>();
            answer.get("console").asListOrEmpty().forEach(line -> console.add(line.asString()));
            throw new BrowserException(what + " failed: " + answer.get("error").asStringOr("(no error text)"),
                    answer.get("data"), console.isEmpty() ? consoleOf(page) : console);
        }
        return answer.get("result");
    }

    private static String describe(String page, Map<String, Object> request) {
        Object fn = request.get("fn");
        return (page == null ? "" : page + ": ") + (fn != null ? fn : request.get("op"));
    }

    /** The last console lines of a page as the driver logged them (without the page prefix). */
    List<String> consoleOf(String page) {
        return driver.consoleOf(page);
    }

    /** The driver log's last lines. */
    public String logTail(int lines) {
        return driver.logTail(lines);
    }

    void forget(String page) {
        pages.remove(page);
    }

    /** Closes every page and Chromium, then makes sure node and everything it started are gone. */
    @Override
    public void close() {
        driver.close();
    }

    // --- finding and preparing the Node project -------------------------------------------------------------------

    /** The harness' Node project (driver.mjs, the bundle); also used by the web client's page driver. */
    public static Path projectDir() {
        List<Path> candidates = List.of(
                Path.of(System.getProperty("gateway.repo", "..")).resolve(PROJECT),
                Path.of("src/test/browser"),
                Path.of(PROJECT));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("driver.mjs"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new BrowserException("no browser harness (driver.mjs) in any of " + candidates
                + " (set -Dgateway.repo to the repository root)", null, List.of());
    }

    /**
     * Installs the Node packages when they are missing ({@code npm ci}, or {@code npm install} without a lock) and
     * builds {@code dist/} when it is missing or older than its sources. Once per JVM at a time, and under a file
     * lock against other JVMs.
     */
    @SuppressWarnings("try") // the lock is held for the body, not used in it
    public static void prepare(Path dir) {
        synchronized (BUILD_MONITOR) {
            Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "webims-browser-harness.lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (!installed(dir)) {
                    boolean locked = Files.isRegularFile(dir.resolve("package-lock.json"));
                    run(dir, INSTALL_TIMEOUT, locked
                            ? List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                            : List.of("npm", "install", "--ignore-scripts", "--no-audit", "--no-fund"));
                }
                if (stale(dir)) {
                    run(dir, BUILD_TIMEOUT, List.of(System.getProperty("gateway.browser.node", "node"), "build.mjs"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the browser harness in " + dir, e);
            }
        }
    }

    private static boolean installed(Path dir) {
        return List.of("jssip", "esbuild", "playwright-core").stream()
                .allMatch(p -> Files.isRegularFile(dir.resolve("node_modules").resolve(p).resolve("package.json")));
    }

    private static boolean stale(Path dir) throws IOException {
        Path bundle = dir.resolve("dist/harness.bundle.js");
        if (!Files.isRegularFile(bundle) || !Files.isRegularFile(dir.resolve("dist/tone-1000.wav"))) {
            return true;
        }
        FileTime built = Files.getLastModifiedTime(bundle);
        for (String source : List.of("harness.js", "plain-console.js", "build.mjs", "tone.mjs", "package.json")) {
            Path file = dir.resolve(source);
            if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(built) > 0) {
                return true;
            }
        }
        return false;
    }

    private static void run(Path dir, Duration maxWait, List<String> command) throws IOException {
        Path output = Files.createTempFile("browser-harness-prepare", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            boolean finished;
            try {
                finished = process.waitFor(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new BrowserException(String.join(" ", command) + " in " + dir + " did not finish in " + maxWait
                        + ":\n" + tail(output, 30), null, List.of());
            }
            if (process.exitValue() != 0) {
                throw new BrowserException(String.join(" ", command) + " in " + dir + " failed (exit "
                        + process.exitValue() + "):\n" + tail(output, 30), null, List.of());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    @Override
    public String toString() {
        return "Browser[" + projectDir + ", pages " + pages.keySet() + ", log " + driver.logFile() + "]";
    }
}

package org.webims.gateway.it.wwsf;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.webims.gateway.it.browser.Browser;
import org.webims.gateway.it.browser.Json;
import org.webims.gateway.it.browser.JsonLike;

/**
 * Headless Chromium driving real pages of any site (here: the gateway's own softphone at {@code /}) through the
 * generic steps of {@code arquillian-tests/src/test/browser/driver.mjs} ({@code open} with a {@code url},
 * {@code click}, {@code fill}, {@code waitForSelector}, {@code waitForFunction}, {@code evaluate}, ...). The same
 * node driver as {@link org.webims.gateway.it.browser.Browser}, without the JsSIP harness pages.
 *
 * <pre>{@code
 * try (PageDriver driver = PageDriver.launch()) {
 *     WebPage page = driver.open("alice", TestBed.ORIGIN + "/", "1000");   // fake microphone: 1 kHz
 *     page.fill("#public-id", "sip:alice@ims.example.test");
 *     page.click("#signin-button");
 *     page.waitFor("#registration[data-state=registered]", Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * The node project is found through {@code gateway.repo}; {@code npm ci} and its build run when missing. Every
 * wait is bounded; {@link #close()} makes sure node and Chromium are gone. The driver's log (every page's console
 * and every SIP message its WebSocket sent and received) goes to {@code target/browser/wwsf-driver-*.log}.
 */
public final class PageDriver implements AutoCloseable {

    /** The harness' static server of this driver (unused by the softphone pages, but the driver always serves). */
    static final int HARNESS_PORT = 8098;
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration READY = Duration.ofSeconds(20);
    private static final Duration OPEN = Duration.ofSeconds(45);
    private static final Duration CLOSE = Duration.ofSeconds(12);

    private final Process process;
    private final Path logFile;
    private final Writer log;
    private final BufferedWriter stdin;
    private final Map<Long, CompletableFuture<JsonLike>> pending = new ConcurrentHashMap<>();
    private final Deque<String> recent = new ArrayDeque<>();
    private final CompletableFuture<JsonLike> ready = new CompletableFuture<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Thread shutdownHook = new Thread(this::kill, "wwsf-driver-kill");
    private volatile boolean closed;

    private PageDriver(Process process, Path logFile, Writer log) {
        this.process = process;
        this.logFile = logFile;
        this.log = log;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    public static PageDriver launch() {
        Path dir = Browser.projectDir();
        Browser.prepare(dir);
        try {
            Path logs = Files.createDirectories(Path.of("target", "browser"));
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
            Path logFile = logs.resolve("wwsf-driver-" + stamp + ".log").toAbsolutePath();
            Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(System.getProperty("gateway.browser.node", "node"),
                    "driver.mjs", "--port", Integer.toString(HARNESS_PORT), "--tone", "1000")
                    .directory(dir.toFile());
            String chromium = System.getProperty("gateway.browser.chromium");
            if (chromium != null) {
                builder.environment().put("CHROMIUM_PATH", chromium);
            }
            PageDriver driver = new PageDriver(builder.start(), logFile, log);
            Runtime.getRuntime().addShutdownHook(driver.shutdownHook);
            driver.read(driver.process.getInputStream(), driver::onStdout, "wwsf-driver-stdout");
            driver.read(driver.process.getErrorStream(), driver::append, "wwsf-driver-stderr");
            try {
                driver.ready.get(READY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                driver.close();
                throw new IllegalStateException("the page driver did not start; its log (" + logFile + "):\n"
                        + driver.tail(30), e);
            }
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the page driver in " + dir, e);
        }
    }

    /**
     * A page in a new browser context (its own storage) at {@code url}, whose fake microphone plays {@code tone}
     * (Hz, a WAV path, or null for 1 kHz). Pages with different tones run in different Chromium processes.
     */
    public WebPage open(String name, String url, String tone) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "open");
        request.put("page", name);
        request.put("url", url);
        request.put("traceWebSocket", true); // the page's SIP messages go to the driver log
        if (tone != null) {
            request.put("tone", tone);
        }
        request.put("timeoutMs", OPEN.toMillis());
        request(name, request, OPEN);
        return new WebPage(this, name);
    }

    /** The driver's log file: its own lines and every page's console, prefixed by the page name. */
    public Path logFile() {
        return logFile;
    }

    /** Sends one step and waits for its reply; a failed step throws {@link PageStepException}. */
    JsonLike request(String page, Map<String, Object> request, Duration timeout) {
        if (closed || !process.isAlive()) {
            throw new PageStepException(page, String.valueOf(request.get("op")),
                    "the page driver is not running; its log:\n" + tail(30), recentOf(page));
        }
        long id = nextId.getAndIncrement();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.putAll(request);
        CompletableFuture<JsonLike> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String what = request.get("op") + (request.containsKey("selector") ? " " + request.get("selector") : "");
        try {
            synchronized (stdin) {
                stdin.write(Json.write(message));
                stdin.write('\n');
                stdin.flush();
            }
            JsonLike answer = reply.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
            if (answer.get("ok").isNull() || !answer.get("ok").asBoolean()) {
                throw new PageStepException(page, what, answer.get("error").asStringOr("(no error text)"),
                        recentOf(page));
            }
            return answer.get("result");
        } catch (IOException e) {
            throw new PageStepException(page, what, "cannot write to the driver: " + e.getMessage(), recentOf(page));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PageStepException(page, what, "interrupted", recentOf(page));
        } catch (ExecutionException e) {
            throw new PageStepException(page, what, e.getCause().getMessage(), recentOf(page));
        } catch (TimeoutException e) {
            throw new PageStepException(page, what, "no reply within " + timeout.plus(GRACE), recentOf(page));
        } finally {
            pending.remove(id);
        }
    }

    /** The last console lines of a page, as the driver logged them. */
    List<String> recentOf(String page) {
        if (page == null) {
            return List.of();
        }
        String prefix = "[" + page + "] ";
        synchronized (recent) {
            List<String> lines = recent.stream().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(prefix.length())).toList();
            return lines.subList(Math.max(0, lines.size() - 25), lines.size());
        }
    }

    String tail(int lines) {
        synchronized (recent) {
            List<String> all = List.copyOf(recent);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (process.isAlive()) {
            try {
                request(null, Map.of("op", "close"), CLOSE.minus(GRACE));
            } catch (RuntimeException e) {
                append("[java] close failed: " + e.getMessage());
            }
        }
        closed = true;
        try {
            process.waitFor(CLOSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the driver was closed")));
        try {
            synchronized (log) {
                log.close();
            }
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** node and every process it started (Chromium): TERM, then KILL. */
    private void kill() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void read(InputStream stream, Consumer<String> sink, String name) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
    }

    private void onStdout(String line) {
        JsonLike message;
        try {
            message = JsonLike.parse(line);
        } catch (IllegalArgumentException e) {
            append("[stdout] " + line);
            return;
        }
        if (message.has("id") && !message.get("id").isNull()) {
            CompletableFuture<JsonLike> reply = pending.get(message.get("id").asLong());
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        append("[event] " + line);
        String event = message.get("event").asStringOr("");
        if (event.equals("ready")) {
            ready.complete(message);
        } else if (event.equals("failed")) {
            ready.completeExceptionally(new IllegalStateException(message.get("error").asStringOr(line)));
        }
    }

    private void append(String line) {
        synchronized (recent) {
            recent.addLast(line);
            while (recent.size() > 3000) {
                recent.removeFirst();
            }
        }
        try {
            synchronized (log) {
                log.write(line);
                log.write('\n');
                log.flush();
            }
        } catch (IOException ignored) {
            // kept in memory all the same
        }
    }
}

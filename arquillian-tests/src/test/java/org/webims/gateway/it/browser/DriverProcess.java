package org.webims.gateway.it.browser;

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
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One {@code node driver.mjs} process (headless Chromium behind it) and its JSON-lines protocol: a request per line
 * on stdin ({@code {"id":n,"op":...}}), a reply per line on stdout with the same id, events ({@code ready},
 * {@code failed}, ...) as lines without an id; stderr is the driver's log and every page's console, each line
 * prefixed by {@code [page]}. Both {@link Browser} (JsSIP harness pages) and the web client's page driver talk to
 * the driver through this class, each turning a failed step into its own exception.
 *
 * <p>Every wait is bounded. {@link #close()} asks the driver to close, then kills node and every process it started
 * (Chromium) for sure; a shutdown hook does the same if the JVM ends first.
 */
public final class DriverProcess implements AutoCloseable {

    /** Added to a request's own timeout: the driver's watchdog answers at {@code timeoutMs}, we wait a bit more. */
    public static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(12);
    private static final int LOG_LINES_KEPT = 3000;

    private final Process process;
    private final Path logFile;
    private final Writer log;
    private final BufferedWriter stdin;
    private final Map<Long, CompletableFuture<JsonLike>> pending = new ConcurrentHashMap<>();
    private final Deque<String> recentLog = new ArrayDeque<>();
    private final CompletableFuture<JsonLike> ready = new CompletableFuture<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Thread shutdownHook;
    private volatile boolean closed;

    /** No reply to a request: the driver is not running, could not be written to, or stayed silent too long. */
    public static final class NoReply extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoReply(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DriverProcess(Process process, Path logFile, Writer log, String name) {
        this.process = process;
        this.logFile = logFile;
        this.log = log;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.shutdownHook = new Thread(this::kill, name + "-kill");
    }

    /**
     * Starts the driver of the Node project {@code projectDir} (already prepared) serving its harness pages on
     * 127.0.0.1:{@code port}, its pages' fake microphone playing {@code tone}, and waits for its {@code ready}
     * event. Its log goes to a new file {@code <logPrefix>-<time>-*.log} under {@code target/browser} (or the
     * temporary directory).
     *
     * @throws NoReply when the driver does not start or is not ready in time (the message holds its log's tail)
     */
    public static DriverProcess start(Path projectDir, int port, String tone, String logPrefix) {
        Path logFile = newLogFile(logPrefix);
        List<String> command = List.of(System.getProperty("gateway.browser.node", "node"), "driver.mjs",
                "--port", Integer.toString(port), "--tone", tone);
        ProcessBuilder builder = new ProcessBuilder(command).directory(projectDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        String chromium = System.getProperty("gateway.browser.chromium");
        if (chromium != null) {
            builder.environment().put("CHROMIUM_PATH", chromium);
        }
        DriverProcess driver;
        try {
            Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
            driver = new DriverProcess(builder.start(), logFile, log, logPrefix);
        } catch (IOException e) {
            throw new NoReply("cannot start " + String.join(" ", command) + " in " + projectDir + ": " + e, e);
        }
        Runtime.getRuntime().addShutdownHook(driver.shutdownHook);
        driver.startReaders(logPrefix);
        try {
            driver.ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            driver.close();
            throw new NoReply("interrupted while the browser driver started", e);
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof TimeoutException ? "not ready within " + READY_TIMEOUT : e.getCause().getMessage();
            driver.close();
            throw new NoReply("browser driver " + why + "; its log (" + logFile + "):\n" + driver.logTail(30), e);
        }
        return driver;
    }

    /** The driver's {@code ready} event (it names the harness pages' {@code origin}). */
    public JsonLike readyEvent() {
        return ready.getNow(JsonLike.of(null));
    }

    /** The driver's log: its own lines and every page's console, each line prefixed by the page name. */
    public Path logFile() {
        return logFile;
    }

    /**
     * Sends one request and waits for its reply, at most {@code timeout} plus {@link #GRACE}. The reply is returned
     * whether the step succeeded or not ({@code ok}, {@code result}, {@code error}): the caller words the failure.
     *
     * @throws NoReply when there is no reply at all
     */
    public JsonLike exchange(Map<String, Object> request, Duration timeout) {
        if (closed) {
            throw new NoReply("the browser driver is closed", null);
        }
        if (!process.isAlive()) {
            throw new NoReply("the browser driver has exited (code " + process.exitValue() + "); its log:\n"
                    + logTail(30), null);
        }
        long id = nextId.getAndIncrement();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.putAll(request);
        CompletableFuture<JsonLike> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            synchronized (stdin) {
                stdin.write(Json.write(message));
                stdin.write('\n');
                stdin.flush();
            }
            return reply.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new NoReply("cannot write to the browser driver (" + e.getMessage() + "); its log:\n"
                    + logTail(20), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoReply("interrupted", e);
        } catch (ExecutionException e) {
            throw new NoReply(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new NoReply("no reply from the browser driver within " + timeout.plus(GRACE), e);
        } finally {
            pending.remove(id);
        }
    }

    /** The last console lines of a page as the driver logged them (without the page prefix); none for null. */
    public List<String> consoleOf(String page) {
        if (page == null) {
            return List.of();
        }
        String prefix = "[" + page + "] ";
        List<String> lines = new ArrayList<>();
        synchronized (recentLog) {
            for (String line : recentLog) {
                if (line.startsWith(prefix)) {
                    lines.add(line.substring(prefix.length()));
                }
            }
        }
        return List.copyOf(lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    /** The driver log's last lines. */
    public String logTail(int lines) {
        synchronized (recentLog) {
            List<String> all = new ArrayList<>(recentLog);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    /** Asks the driver to close its pages and Chromium, then makes sure node and everything it started are gone. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        process.descendants().forEach(tree::add);
        if (process.isAlive()) {
            try {
                exchange(Map.of("op", "close"), CLOSE_TIMEOUT.minus(GRACE));
            } catch (NoReply e) {
                appendLog("[java] close request failed: " + e.getMessage());
            }
        }
        closed = true;
        try {
            if (!process.waitFor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                appendLog("[java] the driver did not exit in " + CLOSE_TIMEOUT + ": killing it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(tree::add);
        kill(tree);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will
        }
        failPending("the browser driver was closed");
        try {
            synchronized (log) {
                log.close();
            }
        } catch (IOException ignored) {
            // the log is best effort
        }
    }

    private void kill() {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        process.descendants().forEach(tree::add);
        kill(tree);
    }

    /** SIGTERM to node, then SIGKILL to node and every process it had started that is still there. */
    private void kill(Set<ProcessHandle> tree) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        for (ProcessHandle child : tree) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        for (ProcessHandle child : tree) {
            child.onExit().completeOnTimeout(child, 5, TimeUnit.SECONDS).join();
        }
        try {
            synchronized (log) {
                log.flush();
            }
        } catch (IOException ignored) {
            // the log is best effort (and may be closed already)
        }
    }

    private void failPending(String why) {
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException(why)));
        ready.completeExceptionally(new IllegalStateException(why));
    }

    // --- the driver's output ------------------------------------------------------------------------------------

    private void startReaders(String name) {
        Thread out = reader(process.getInputStream(), this::onStdout, name + "-stdout");
        Thread err = reader(process.getErrorStream(), this::appendLog, name + "-stderr");
        Thread exit = new Thread(() -> {
            try {
                int code = process.waitFor();
                err.join(2000);
                out.join(2000);
                failPending("the browser driver exited with code " + code + "; its log:\n" + logTail(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-exit");
        exit.setDaemon(true);
        exit.start();
    }

    private static Thread reader(InputStream stream, Consumer<String> sink, String name) {
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
        return reader;
    }

    private void onStdout(String line) {
        JsonLike message;
        try {
            message = JsonLike.parse(line);
        } catch (IllegalArgumentException e) {
            appendLog("[stdout] " + line);
            return;
        }
        if (message.has("id") && !message.get("id").isNull()) {
            CompletableFuture<JsonLike> reply = pending.get(message.get("id").asLong());
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        appendLog("[event] " + line);
        String event = message.get("event").asStringOr("");
        if (event.equals("ready")) {
            ready.complete(message);
        } else if (event.equals("failed")) {
            ready.completeExceptionally(new IllegalStateException(message.get("error").asStringOr(line)));
        }
    }

    private void appendLog(String line) {
        synchronized (recentLog) {
            recentLog.addLast(line);
            while (recentLog.size() > LOG_LINES_KEPT) {
                recentLog.removeFirst();
            }
        }
        try {
            synchronized (log) {
                log.write(line);
                log.write('\n');
                log.flush();
            }
        } catch (IOException ignored) {
            // the log file is best effort; the lines are still kept in memory
        }
    }

    private static Path newLogFile(String prefix) {
        try {
            Path base = Files.isDirectory(Path.of("target"))
                    ? Files.createDirectories(Path.of("target", "browser"))
                    : Path.of(System.getProperty("java.io.tmpdir"));
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
            return Files.createTempFile(base.toAbsolutePath(), prefix + "-" + stamp + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the browser driver log", e);
        }
    }

    @Override
    public String toString() {
        return "DriverProcess[pid " + process.pid() + ", log " + logFile + "]";
    }
}

package org.webims.gateway.it.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test server's JVM, found among this machine's processes by its {@code jboss.home.dir} (other engineers' test
 * servers run beside it), asked through {@code jcmd} for its heap in use after a full collection.
 */
final class ServerJvm {
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private final long pid;

    private ServerJvm(long pid) {
        this.pid = pid;
    }

    /** The JVM whose command line names {@code serverHome} as jboss.home.dir, if one runs. */
    static Optional<ServerJvm> of(Path serverHome) {
        String home = "-Djboss.home.dir=" + serverHome.toAbsolutePath().normalize();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(home + " ") || c.endsWith(home)).orElse(false))
                .map(p -> new ServerJvm(p.pid()))
                .findFirst();
    }

    long pid() {
        return pid;
    }

    /** Heap in use after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}), in bytes; -1 if unknown. */
    long heapAfterFullGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** Bytes by class after a full collection ({@code jcmd GC.class_histogram} collects first). */
    Map<String, Long> classHistogram() throws IOException, InterruptedException {
        Map<String, Long> bytes = new HashMap<>();
        Matcher m = HISTOGRAM_ROW.matcher(jcmd("GC.class_histogram"));
        while (m.find()) {
            bytes.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
        }
        return bytes;
    }

    /** The classes whose bytes grew most from {@code before} to {@code after}, as report lines. */
    static List<String> growth(Map<String, Long> before, Map<String, Long> after, int top) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .map(e -> String.format(java.util.Locale.ROOT, "   %+,d bytes %s", e.getValue(), e.getKey()))
                .toList();
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}

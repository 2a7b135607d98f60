package org.webims.gateway.bench.run;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A process the run started (output to a log file), and what Linux says about processes: CPU time from
 * {@code /proc/PID/stat}, proportional set size from {@code /proc/PID/smaps_rollup}. Stopping is by the pid we hold:
 * SIGTERM, a grace period, then SIGKILL for it and anything it started.
 */
final class Proc implements AutoCloseable {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux x86-64 / arm64 build
    /** Processes still running, stopped by a shutdown hook if the run is interrupted (Ctrl-C). */
    private static final java.util.Set<Proc> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Proc p : LIVE) {
                p.stop(Duration.ofSeconds(5));
            }
        }, "bench-stop-processes"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private Proc(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static Proc start(String name, List<String> command, Path dir, Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Files.writeString(dir.resolve(name + ".command"), String.join(" ", command) + "\n");
        Proc proc = new Proc(name, builder.start(), log);
        LIVE.add(proc);
        return proc;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of the log, for error messages. */
    String tail(int lines) {
        return tail(log, lines);
    }

    /** SIGTERM, up to {@code grace} to exit, then SIGKILL for it and every process it started. */
    void stop(Duration grace) {
        LIVE.remove(this);
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle p : tree) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    // ------------------------------------------------------------------------------------ /proc readings

    /** The process and all its descendants. */
    static List<ProcessHandle> tree(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).toList();
    }

    /** User + system CPU time of the processes, in seconds. */
    static double cpuSeconds(List<ProcessHandle> processes) {
        long ticks = 0;
        for (ProcessHandle p : processes) {
            ticks += cpuTicks(p.pid());
        }
        return (double) ticks / CLOCK_TICKS_PER_SECOND;
    }

    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** CPU ticks of each thread of a process by thread name (digits replaced by #), from /proc/PID/task. */
    static java.util.Map<String, Long> threadTicks(long pid) {
        java.util.Map<String, Long> ticks = new java.util.HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(task.getFileName() + "\u0000" + comm.replaceAll("\\d+", "#"),
                            Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended
                }
            }
        } catch (IOException | UncheckedIOException gone) {
            // the process ended
        }
        return ticks;
    }

    /**
     * CPU seconds by thread name between two {@link #threadTicks} readings (threads that started in between count
     * from zero).
     */
    static java.util.Map<String, Double> threadSeconds(java.util.Map<String, Long> before,
            java.util.Map<String, Long> after) {
        java.util.Map<String, Double> seconds = new java.util.HashMap<>();
        after.forEach((key, t) -> seconds.merge(key.substring(key.indexOf('\u0000') + 1),
                (double) (t - before.getOrDefault(key, 0L)) / CLOCK_TICKS_PER_SECOND, Double::sum));
        return seconds;
    }

    /**
     * Datagrams the kernel dropped because a socket's receive buffer was full ({@code /proc/net/udp} "drops"), summed
     * by the run's UDP endpoints: rtpengine's ng socket, the IMS core, the SIPp UAS, the systems under test, and the
     * ng clients of the system under test (sockets connected to rtpengine's ng port).
     */
    static java.util.Map<String, Long> udpDrops() {
        java.util.Map<Integer, String> local = java.util.Map.of(Ports.NG, "rtpengine ng", Ports.CORE, "IMS core",
                Ports.UAS, "SIPp UAS", Ports.GATEWAY_SIP, "gateway SIP", Ports.EDGE_SIP, "Kamailio edge SIP");
        java.util.Map<String, Long> drops = new java.util.TreeMap<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc/net/udp"))) {
            lines.skip(1).map(String::trim).map(l -> l.split("\\s+")).filter(f -> f.length >= 13).forEach(f -> {
                int localPort = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                int remotePort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                long n = Long.parseLong(f[f.length - 1]);
                String label = local.get(localPort);
                if (label == null && remotePort == Ports.NG) {
                    label = "ng clients";
                }
                if (label != null) {
                    drops.merge(label, n, Long::sum);
                }
            });
        } catch (IOException | RuntimeException e) {
            // no /proc/net/udp: no figures
        }
        return drops;
    }

    /** Busy CPU seconds of the whole machine (all CPUs, /proc/stat: everything but idle and iowait). */
    static double machineBusySeconds() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String cpu = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElse("");
            String[] f = cpu.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return (double) busy / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Proportional set size (shared pages split among their users), in kB, summed over the processes. */
    static long pssKb(List<ProcessHandle> processes) {
        long kb = 0;
        for (ProcessHandle p : processes) {
            kb += procField("/proc/" + p.pid() + "/smaps_rollup", "Pss:").orElse(0L);
        }
        return kb;
    }

    /** Resident set size in kB. */
    static long rssKb(long pid) {
        return procField("/proc/" + pid + "/status", "VmRSS:").orElse(0L);
    }

    private static Optional<Long> procField(String file, String label) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(l -> l.startsWith(label)).findFirst()
                    .map(l -> Long.parseLong(l.substring(label.length()).replace("kB", "").strip()));
        } catch (IOException | UncheckedIOException | NumberFormatException gone) {
            return Optional.empty();
        }
    }

    /** Runs a short command and returns its output (stdout and stderr); "" when it fails or overruns. */
    static String output(Duration maxWait, String... command) {
        Path out = null;
        try {
            out = Files.createTempFile("bench-cmd", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind
                }
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

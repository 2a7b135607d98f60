package org.webims.gateway.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A summary of a JFR recording's {@code jdk.ExecutionSample} events (what {@code jfr print --events
 * jdk.ExecutionSample} lists one by one), plus the JVM's CPU load and GC pauses over its analysed part, and the CPU of
 * every JVM thread over the same window read from /proc (JIT compiler and GC threads included, which execution
 * samples never show).
 *
 * <p>Each sample is charged to one component: the first frame from the top of its stack that belongs to one of
 * {@link #COMPONENTS} (JDK frames are skipped, so {@code StringBuilder.append} called by JAIN-SIP's encoder is
 * charged to the encoder). For the largest component, the gateway frames nearest to it say which gateway code
 * brought it about.
 *
 * @param workload    what ran while recording
 * @param samples     execution samples (Java threads running Java code, every 20 ms per sampled thread)
 * @param byThread    samples by thread pool (thread names with their numbers replaced by #)
 * @param components  samples by component (exclusive: they add up to all samples)
 * @param topCallers  for the largest component, the nearest gateway frame ({@code org.webims}, method and line)
 *                    of its samples
 * @param byGatewayFrame all samples by their nearest gateway frame (the first {@code org.webims} frame from the
 *                    top), those without one left out
 * @param selfMethods top-of-stack methods
 * @param jvmCpu      mean JVM CPU load over the analysed part (user + system, share of the whole machine)
 * @param machineCpu  mean machine CPU load over the analysed part
 * @param gcCount     GC pauses during the analysed part
 * @param gcPauseMillis their total
 * @param threadCpu   CPU seconds of every JVM thread over the window by thread name, from /proc; empty if not read
 * @param seconds     length of the window {@code threadCpu} covers
 */
public record Profile(String workload, Path file, long samples, List<Row> byThread, List<Row> components,
        List<Row> topCallers, List<Row> byGatewayFrame, List<Row> selfMethods, double jvmCpu, double machineCpu, long gcCount,
        double gcPauseMillis, Map<String, Double> threadCpu, double seconds) {

    /** One line of a table: a name, its count and share. */
    public record Row(String name, long samples, double percent) {}

    /** Components in the order a frame is tested against them (more specific first), with their frame prefixes. */
    static final Map<String, List<String>> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("logging", List.of("org.jboss.logmanager.", "java.util.logging.", "org.jboss.logging.",
                "org.webims.gateway.sip.transport.JulStackLogger", "gov.nist.core.CommonLogger",
                "gov.nist.core.LogWriter", "gov.nist.core.ServerLogger"));
        COMPONENTS.put("SIP message encoding (JAIN-SIP encode, toString)", List.of("gov.nist.*.encode",
                "gov.nist.*.toString", "gov.nist.*.encodeAsBytes", "gov.nist.*.encodeBody", "gov.nist.*.encodeMessage",
                "gov.nist.*.encodeSIPHeaders", "gov.nist.*.getFirstLine"));
        COMPONENTS.put("SIP message parsing (JAIN-SIP parser)", List.of("gov.nist.javax.sip.parser.",
                "gov.nist.core.LexerCore", "gov.nist.core.StringTokenizer", "gov.nist.core.ParserCore",
                "gov.nist.core.HostNameParser"));
        COMPONENTS.put("SDP handling (gateway)", List.of("org.webims.gateway.sip.call.SdpSummary",
                "org.webims.gateway.sip.b2bua.SipBodies"));
        COMPONENTS.put("rtpengine ng client (bencode, UDP)", List.of("org.webims.gateway.sip.media."));
        COMPONENTS.put("cryptography (flow-token HMAC, TLS)", List.of("javax.crypto.", "com.sun.crypto.",
                "sun.security.", "org.webims.gateway.sip.flow.FlowTokens"));
        COMPONENTS.put("WebSocket frames (Undertow: masking, UTF-8 checks, framing)",
                List.of("io.undertow.websockets."));
        COMPONENTS.put("JAIN-SIP transactions, dialogs, transports", List.of("gov.nist.javax.sip.stack.",
                "gov.nist.javax.sip.SipProviderImpl", "gov.nist.javax.sip.DialogFilter",
                "gov.nist.javax.sip.EventScanner", "gov.nist.javax.sip.SipStackImpl",
                "gov.nist.javax.sip.DefaultAddressResolver", "gov.nist.javax.sip.Utils"));
        COMPONENTS.put("JAIN-SIP message objects (headers, clone, lookups)", List.of("gov.nist.", "javax.sip."));
        COMPONENTS.put("gateway B2BUA", List.of("org.webims.gateway.sip.b2bua.", "org.webims.gateway.sip.call."));
        COMPONENTS.put("gateway edge proxy (eP-CSCF procedures)", List.of("org.webims.gateway.sip.edge."));
        COMPONENTS.put("gateway flows, registrations, keepalives", List.of("org.webims.gateway.sip.flow.",
                "org.webims.gateway.sip.registration."));
        COMPONENTS.put("gateway transport and runtime (WebSocket channel, serial executor)",
                List.of("org.webims."));
        COMPONENTS.put("Undertow / XNIO (HTTP, I/O threads)", List.of("io.undertow.", "org.xnio."));
        COMPONENTS.put("WildFly around tasks (managed executor, EE context, transactions, security, Weld, EJB)",
                List.of("org.jboss.", "org.wildfly.", "org.glassfish.", "jakarta."));
    }

    private static final String JDK_ONLY = "JDK only (thread pools, queues, parking, no other frame)";

    /** The tables as plain text. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: %d samples, JVM CPU %.0f %%, machine %.0f %%, %d GC pauses %.0f ms%n",
                workload, samples, 100 * jvmCpu, 100 * machineCpu, gcCount, gcPauseMillis));
        for (var table : List.of(Map.entry("thread CPU from /proc (centiseconds, % of a core)", threadCpuRows(15)),
                Map.entry("samples by thread", byThread), Map.entry("samples by component", components),
                Map.entry("gateway frames nearest the largest component", topCallers),
                Map.entry("all samples by nearest gateway frame", byGatewayFrame),
                Map.entry("top of stack", selfMethods))) {
            out.append("-- ").append(table.getKey()).append('\n');
            table.getValue().forEach(r -> out.append(String.format(Locale.ROOT, "%6d %5.1f %%  %s%n",
                    r.samples(), r.percent(), r.name())));
        }
        return out.toString();
    }

    public static Profile analyze(Path file, String workload) throws IOException {
        return analyze(file, workload, Duration.ZERO);
    }

    /**
     * The events from {@code skip} after the recording's first one on only: starting JFR deoptimises code that its
     * event classes touch, and the JIT's recompilation that follows slows hot loops (byte by byte framing, parsing)
     * many times over for seconds, so samples taken then show the interpreter's costs, not the server's (perf of the
     * same load saw no WebSocket framing among the hot frames where such a recording charged it 30 %).
     */
    public static Profile analyze(Path file, String workload, Duration skip) throws IOException {
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Instant from = events.stream().map(RecordedEvent::getStartTime).min(Instant::compareTo).orElse(Instant.MIN)
                .plus(skip);
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> components = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        List<List<String>> stacks = new ArrayList<>();
        List<String> charged = new ArrayList<>();
        long samples = 0;
        double jvmCpuSum = 0;
        double machineCpuSum = 0;
        long cpuEvents = 0;
        long gcCount = 0;
        double gcMillis = 0;
        for (RecordedEvent event : events) {
            if (event.getStartTime().isBefore(from)) {
                continue;
            }
            switch (event.getEventType().getName()) {
                case "jdk.ExecutionSample" -> {
                    samples++;
                    var thread = event.getThread("sampledThread");
                    String name = thread == null ? "?" : String.valueOf(thread.getJavaName());
                    threads.merge(name.replaceAll("\\d+", "#"), 1L, Long::sum);
                    RecordedStackTrace stack = event.getStackTrace();
                    List<String> frames = new ArrayList<>();
                    if (stack != null) {
                        for (RecordedFrame f : stack.getFrames()) {
                            frames.add(method(f) + ":" + f.getLineNumber());
                        }
                    }
                    if (!frames.isEmpty()) {
                        self.merge(strip(frames.get(0)), 1L, Long::sum);
                    }
                    String component = componentOf(frames);
                    components.merge(component, 1L, Long::sum);
                    stacks.add(frames);
                    charged.add(component);
                }
                case "jdk.CPULoad" -> {
                    jvmCpuSum += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                    machineCpuSum += event.getFloat("machineTotal");
                    cpuEvents++;
                }
                case "jdk.GarbageCollection" -> {
                    gcCount++;
                    gcMillis += event.getDuration("sumOfPauses").toNanos() / 1e6;
                }
                default -> { }
            }
        }
        List<Row> componentRows = top(components, samples, 20);
        Map<String, Long> nearest = new HashMap<>();
        for (List<String> stack : stacks) {
            stack.stream().filter(f -> f.startsWith("org.webims.")).findFirst()
                    .ifPresent(f -> nearest.merge(f, 1L, Long::sum));
        }
        Map<String, Long> callers = new HashMap<>();
        if (!componentRows.isEmpty()) {
            String largest = componentRows.get(0).name();
            for (int i = 0; i < stacks.size(); i++) {
                if (charged.get(i).equals(largest)) {
                    String caller = stacks.get(i).stream().filter(f -> f.startsWith("org.webims.")).findFirst()
                            .orElse("(no gateway frame on the stack)");
                    callers.merge(caller, 1L, Long::sum);
                }
            }
        }
        return new Profile(workload, file, samples, top(threads, samples, 10), componentRows,
                top(callers, samples, 8), top(nearest, samples, 12), top(self, samples, 15),
                cpuEvents == 0 ? Double.NaN : jvmCpuSum / cpuEvents,
                cpuEvents == 0 ? Double.NaN : machineCpuSum / cpuEvents, gcCount, gcMillis, Map.of(), 0);
    }

    /** The component a sample is charged to: the first frame from the top that belongs to one. */
    static String componentOf(List<String> frames) {
        for (String frame : frames) {
            String method = strip(frame);
            for (Map.Entry<String, List<String>> c : COMPONENTS.entrySet()) {
                for (String prefix : c.getValue()) {
                    if (matches(method, prefix)) {
                        return c.getKey();
                    }
                }
            }
        }
        return JDK_ONLY;
    }

    /** A prefix, or {@code pkg.*.method}: a method of that name in a class under that package. */
    private static boolean matches(String method, String pattern) {
        int star = pattern.indexOf(".*.");
        if (star < 0) {
            return method.startsWith(pattern);
        }
        String pkg = pattern.substring(0, star + 1);
        String name = pattern.substring(star + 3);
        return method.startsWith(pkg) && method.endsWith("." + name);
    }

    /** The same profile with the per-thread CPU of the window it was recorded in. */
    Profile withThreadCpu(Map<String, Double> cpu, double windowSeconds) {
        return new Profile(workload, file, samples, byThread, components, topCallers, byGatewayFrame, selfMethods,
                jvmCpu,
                machineCpu, gcCount, gcPauseMillis, Map.copyOf(cpu), windowSeconds);
    }

    /** Thread groups by CPU seconds, largest first, as rows (samples = centiseconds, percent = of one core). */
    public List<Row> threadCpuRows(int limit) {
        return threadCpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(limit).map(e -> new Row(e.getKey(), Math.round(e.getValue() * 100),
                        seconds <= 0 ? 0 : 100 * e.getValue() / seconds)).toList();
    }

    /** CPU seconds of thread groups whose name starts with one of the prefixes. */
    public double threadCpuOf(String... prefixes) {
        return threadCpu.entrySet().stream().filter(e -> Arrays.stream(prefixes).anyMatch(e.getKey()::startsWith))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    public double threadCpuTotal() {
        return threadCpu.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The component with the most samples, or an empty row. */
    public Row topComponent() {
        return components.isEmpty() ? new Row("none", 0, 0) : components.get(0);
    }

    /** The row of a component by the start of its name, or an empty row. */
    public Row component(String prefixOfName) {
        return components.stream().filter(r -> r.name().startsWith(prefixOfName)).findFirst()
                .orElse(new Row(prefixOfName, 0, 0));
    }

    private static String method(RecordedFrame frame) {
        var m = frame.getMethod();
        return m == null ? "?" : m.getType().getName() + "." + m.getName();
    }

    private static String strip(String frameWithLine) {
        int colon = frameWithLine.lastIndexOf(':');
        return colon < 0 ? frameWithLine : frameWithLine.substring(0, colon);
    }

    private static List<Row> top(Map<String, Long> counts, long total, int limit) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit).map(e -> new Row(e.getKey(), e.getValue(), percent(e.getValue(), total))).toList();
    }

    private static double percent(long n, long total) {
        return total == 0 ? 0 : 100.0 * n / total;
    }
}

package org.webims.gateway.bench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gateway: the EAR on a private copy of the provisioned WildFly ({@code benchmarks/target/server}), started with
 * port offset 200 and the {@code gateway.*} keys pointing at the run's core and rtpengine, a fixed 1 GB heap
 * ({@code JBOSS_JAVA_SIZING}), everything else as {@code bin/gateway run} has it (logging included); with media
 * anchored on rtpengine, or with {@code gateway.media.anchoring=false} (SDP passed through); with any further
 * {@code -D} keys (charging). Its copy of the server gets an admin user with a password made for this start, for the
 * admin API ({@link #adminApi()}).
 */
final class GatewayTarget implements Target {
    static final String HEAP = "-Xms1g -Xmx1g";
    /** The gateway's JVM options beside its heap, one a line, {@code #} comments: the product's, as it runs. */
    static final String JVM_OPTIONS = "deployment/gateway-jvm.options";
    /** Deeper JFR stacks than the default 64: WildFly's are deep, and the gateway's frames sit under many others. */
    static final String JFR_STACK_DEPTH = "-XX:FlightRecorderOptions=stackdepth=256";
    /** The path MTU toward the run's core, which listens on 127.0.0.1 (Linux's loopback MTU). */
    static final int LOOPBACK_MTU = 65_536;

    private final Path serverTemplate;
    private final Path ear;
    private final Path server;
    private final Path runDir;
    private final boolean media;
    private final List<String> properties;
    private final String description;
    private final String jvmOptions;
    private final String adminPassword = randomPassword();
    private Proc launcher;
    private long jvmPid;

    GatewayTarget(Path serverTemplate, Path ear, Path repo, Path runDir, boolean media) {
        this(serverTemplate, ear, repo, runDir, media, List.of(),
                media ? "gateway (WildFly, JAIN-SIP B2BUA, rtpengine)" : "gateway, SDP passed through");
    }

    /**
     * With further {@code -Dkey=value} arguments for the server, described as {@code description}; its server copy in
     * the {@code repo}'s {@code benchmarks/target/server}, its JVM options beside the heap from the {@code repo}'s
     * {@value #JVM_OPTIONS} (as {@code bin/gateway run} starts it).
     */
    GatewayTarget(Path serverTemplate, Path ear, Path repo, Path runDir, boolean media, List<String> properties,
            String description) {
        this.serverTemplate = serverTemplate;
        this.ear = ear;
        this.server = repo.resolve("benchmarks/target/server");
        this.jvmOptions = jvmOptions(repo.resolve(JVM_OPTIONS));
        this.runDir = runDir;
        this.media = media;
        this.properties = List.copyOf(properties);
        this.description = description;
    }

    @Override
    public String key() {
        return "gateway";
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public URI wsUri() {
        return URI.create("ws://" + Ports.HOST + ":" + Ports.GATEWAY_HTTP + "/sip");
    }

    @Override
    public boolean anchorsMedia() {
        return media;
    }

    /** The admin REST API of this start. */
    AdminApi adminApi() {
        return new AdminApi(Ports.GATEWAY_HTTPS, "admin", adminPassword);
    }

    /** The server's log (the live one while it runs). */
    Path serverLog() {
        return server.resolve("standalone/log/server.log");
    }

    /** The JVM's pid (for jcmd). */
    long jvmPid() {
        return jvmPid;
    }

    @Override
    public void start() throws IOException {
        copyServer();
        addAdminUser();
        Files.copy(ear, server.resolve("standalone/deployments/webrtc-ims-gateway.ear"),
                StandardCopyOption.REPLACE_EXISTING);
        Path pidFile = runDir.resolve("wildfly-java.pid");
        Files.createDirectories(runDir);
        Files.deleteIfExists(pidFile);
        List<String> cmd = new ArrayList<>(List.of(server.resolve("bin/standalone.sh").toString(),
                "-Djava.net.preferIPv4Stack=true",
                "-Djboss.socket.binding.port-offset=" + Ports.WILDFLY_OFFSET,
                "-Dgateway.sip.port=" + Ports.GATEWAY_SIP,
                "-Dgateway.ws.port=" + Ports.GATEWAY_HTTP,
                "-Dgateway.wss.port=" + Ports.GATEWAY_HTTPS,
                "-Dgateway.ims.proxy=sip:" + Ports.HOST + ":" + Ports.CORE + ";lr",
                "-Dgateway.media.ng=" + Ports.HOST + ":" + Ports.NG,
                "-Dgateway.media.anchoring=" + media,
                // the core is on this host: the path MTU toward it is the loopback's, so requests go over UDP up to
                // 200 bytes under it (RFC 3261 §18.1.1), as the Kamailio edge configured here sends them (no udp_mtu)
                "-Dgateway.ims.path-mtu=" + LOOPBACK_MTU,
                // the load's phone is addressed by IP and port (sip:uas@127.0.0.1:PORT)
                "-Dgateway.originating.literal-targets=" + Ports.HOST,
                // every simulated client connects from 127.0.0.1: the per-address cap (200 by default, against one
                // host holding the gateway's connections) would refuse all but the first 200 of them
                "-Dgateway.ws.max-connections-per-address=1000000"));
        cmd.addAll(properties);
        launcher = Proc.start("wildfly", cmd, runDir, Map.of("LAUNCH_JBOSS_IN_BACKGROUND", "1",
                "JBOSS_PIDFILE", pidFile.toString(), "JBOSS_JAVA_SIZING", jvmOptions + " " + HEAP + " "
                        + JFR_STACK_DEPTH + " " + System.getenv().getOrDefault("BENCH_GATEWAY_JVM_OPTS", "")));
        awaitReady(pidFile, Duration.ofSeconds(240));
    }

    private void awaitReady(Path pidFile, Duration max) throws IOException {
        Path deployments = server.resolve("standalone/deployments");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://" + Ports.HOST + ":" + Ports.GATEWAY_MANAGEMENT + "/health/ready");
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (!launcher.isAlive()) {
                throw new IOException("WildFly exited:\n" + launcher.tail(40));
            }
            if (Files.exists(deployments.resolve("webrtc-ims-gateway.ear.failed"))) {
                throw new IOException("the EAR failed to deploy: "
                        + Files.readString(deployments.resolve("webrtc-ims-gateway.ear.failed")));
            }
            if (jvmPid == 0 && Files.exists(pidFile)) {
                String pid = Files.readString(pidFile).strip();
                jvmPid = pid.isEmpty() ? 0 : Long.parseLong(pid);
            }
            if (jvmPid != 0 && Files.exists(deployments.resolve("webrtc-ims-gateway.ear.deployed"))) {
                try {
                    int status = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            Proc.sleep(Duration.ofMillis(300));
        }
        throw new IOException("WildFly not ready after " + max + ":\n" + launcher.tail(40));
    }

    @Override
    public List<ProcessHandle> processes() {
        return ProcessHandle.of(jvmPid).map(List::of).orElse(List.of());
    }

    @Override
    public double jitCpuSeconds() {
        return Proc.threadTicks(jvmPid).entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue).sum() / 100.0;
    }

    /**
     * The live objects after a full collection: the total of {@code jcmd GC.class_histogram}, which collects and
     * then counts only what is reachable. Not {@code GC.run} then {@code GC.heap_info}: under load the heap in use
     * when the second command attaches already holds hundreds of MB allocated since the first (soak samples of the
     * same steady load read 150 to 700 MB that way).
     */
    @Override
    public long liveBytes() {
        return histogramTotal(Proc.output(Duration.ofSeconds(60), "jcmd", Long.toString(jvmPid),
                "GC.class_histogram"));
    }

    /** The bytes on the "Total" line of a class histogram; -1 without one. */
    static long histogramTotal(String histogram) {
        Matcher m = HISTOGRAM_TOTAL.matcher(histogram);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)", Pattern.MULTILINE);

    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)",
            Pattern.MULTILINE);

    /** {@code jcmd GC.class_histogram} (after a full GC): bytes by class. */
    @Override
    public Map<String, Long> memoryByOwner() {
        Map<String, Long> bytes = new java.util.HashMap<>();
        Matcher m = HISTOGRAM_LINE.matcher(Proc.output(Duration.ofSeconds(60), "jcmd", Long.toString(jvmPid),
                "GC.class_histogram"));
        while (m.find()) {
            bytes.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
        }
        return bytes;
    }

    @Override
    public String liveLabel() {
        return "live Java objects after a full GC (class histogram)";
    }

    /** Starts a JFR recording of {@code seconds} with the default settings (execution samples every 20 ms). */
    void startRecording(Path file, int seconds) throws IOException {
        String out = Proc.output(Duration.ofSeconds(30), "jcmd", Long.toString(jvmPid), "JFR.start",
                "name=bench", "duration=" + seconds + "s", "filename=" + file);
        if (!out.contains("Started recording")) {
            throw new IOException("JFR.start failed: " + out);
        }
    }

    @Override
    public void close() {
        if (launcher == null) {
            return;
        }
        ProcessHandle.of(jvmPid).ifPresent(jvm -> {
            jvm.destroy(); // SIGTERM: graceful shutdown of the server and the SIP stack
            try {
                jvm.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception slow) {
                jvm.destroyForcibly();
            }
        });
        launcher.stop(Duration.ofSeconds(10));
        try {
            Path log = server.resolve("standalone/log/server.log");
            if (Files.exists(log)) {
                Files.copy(log, runDir.resolve("server.log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // the log stays in the server copy
        }
        launcher = null;
    }

    /**
     * The user {@code admin} with role {@code admin} in the ApplicationRealm of this copy (as {@code bin/gateway}
     * does it: the HEX of MD5 of user:realm:password), with this start's password.
     */
    private void addAdminUser() throws IOException {
        Path conf = server.resolve("standalone/configuration");
        String hash = md5Hex("admin:ApplicationRealm:" + adminPassword);
        Files.writeString(conf.resolve("application-users.properties"), "\nadmin=" + hash + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(conf.resolve("application-roles.properties"), "\nadmin=admin\n",
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static String md5Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[15];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The options of {@code file} on one line: each line that is not blank or a {@code #} comment. */
    static String jvmOptions(Path file) {
        try {
            return String.join(" ", Files.readAllLines(file).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gateway's JVM options " + file, e);
        }
    }

    /** A fresh copy of the provisioned server without data, logs, temp files or deployments. */
    private void copyServer() throws IOException {
        if (Files.exists(server)) {
            try (Stream<Path> old = Files.walk(server)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        List<Path> skipped = new ArrayList<>(List.of(serverTemplate.resolve("standalone/data"),
                serverTemplate.resolve("standalone/log"), serverTemplate.resolve("standalone/tmp")));
        Files.walkFileTree(serverTemplate, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (skipped.contains(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(server.resolve(serverTemplate.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getFileName().toString().startsWith("webrtc-ims-gateway.ear")) {
                    Files.copy(file, server.resolve(serverTemplate.relativize(file)),
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

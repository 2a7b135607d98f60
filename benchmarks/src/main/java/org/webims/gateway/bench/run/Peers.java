package org.webims.gateway.bench.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peers both targets share, one set per target so each starts from the same state: the demo IMS core
 * (registrar with digest), rtpengine (userspace, the eIMS-AGW) and the SIPp UAS (the IMS phone). Stopped in reverse
 * order of start by {@link #close()}.
 */
final class Peers implements AutoCloseable {
    private final List<Proc> started = new ArrayList<>();
    private final Path dir;
    private Proc core;
    private Proc rtpengine;
    private Proc uas;
    private String coreCtl;

    private Peers(Path dir) {
        this.dir = dir;
    }

    static Peers start(Path repo, Path dir) throws IOException {
        Peers peers = new Peers(dir);
        try {
            peers.startRtpengine();
            peers.startCore(repo);
            peers.startUas();
            return peers;
        } catch (IOException | RuntimeException e) {
            peers.close();
            throw e;
        }
    }

    /** What each peer's processes are, for CPU accounting. */
    Map<String, List<ProcessHandle>> processes() {
        return Map.of("IMS core", Proc.tree(core.handle()), "rtpengine", Proc.tree(rtpengine.handle()),
                "SIPp UAS", Proc.tree(uas.handle()));
    }

    /** Lines of the UAS's error file (unexpected messages, retransmission give-ups): 0 in a clean run. */
    long uasErrors() {
        Path errors = dir.resolve("uas").resolve("errors.log");
        try {
            return Files.exists(errors) ? Files.readAllLines(errors, StandardCharsets.ISO_8859_1).stream()
                    .filter(l -> l.contains("Aborting call") || l.contains("unexpected")).count() : 0;
        } catch (IOException e) {
            return -1;
        }
    }

    String coreCtl() {
        return coreCtl;
    }

    private void startRtpengine() throws IOException {
        // --timeout: calls carry no RTP here; held calls must outlive the default media timeout
        rtpengine = add(Proc.start("rtpengine", List.of("rtpengine", "--config-file=none", "--foreground",
                "--log-stderr", "--table=-1", "--interface=" + Ports.HOST, "--listen-ng=" + Ports.HOST + ":" + Ports.NG,
                "--port-min=" + Ports.RTP_MIN, "--port-max=" + Ports.RTP_MAX, "--timeout=600", "--delete-delay=0",
                // control at ERR: its warnings quote each refused ng packet whole, SDP included
                "--log-level=5", "--log-level-control=3"), dir.resolve("rtpengine"), Map.of()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!rtpengine.isAlive()) {
                throw new IOException("rtpengine exited:\n" + rtpengine.tail(20));
            }
            if (ngPing()) {
                return;
            }
            Proc.sleep(Duration.ofMillis(100));
        }
        throw new IOException("rtpengine does not answer ng ping on " + Ports.NG);
    }

    private void startCore(Path repo) throws IOException {
        Path cfg = repo.resolve("deployment/ims-core/kamailio.cfg");
        Path run = dir.resolve("ims-core");
        coreCtl = "unix:" + controlSocket(run, "core");
        core = add(Kamailio.start("ims-core", cfg, run, coreCtl, List.of("IMS_PORT=" + Ports.CORE,
                "IMS_CTL=\"" + coreCtl + "\"")));
    }

    private void startUas() throws IOException {
        Path run = dir.resolve("uas");
        Files.createDirectories(run);
        Path scenario = run.resolve("uas-pcmu.xml");
        try (InputStream in = Peers.class.getResourceAsStream("/sipp/uas-pcmu.xml")) {
            if (in == null) {
                throw new IOException("sipp/uas-pcmu.xml missing from the benchmarks jar");
            }
            Files.copy(in, scenario, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // SIPp writes its error file only when something goes wrong: one left by an earlier run would be counted as
        // this run's (the report of 95c4fdb carried the 364 of the run before)
        Files.deleteIfExists(run.resolve("errors.log"));
        uas = add(Proc.start("sipp-uas", List.of("sipp", "-sf", scenario.toString(), "-i", Ports.HOST, "-bind_local",
                "-p", Integer.toString(Ports.UAS), "-ci", Ports.HOST, "-cp", Integer.toString(Ports.UAS_CONTROL),
                "-nostdin", "-trace_err", "-error_file", run.resolve("errors.log").toString(),
                "-max_log_size", "10000000"), run, Map.of()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!uas.isAlive()) {
                throw new IOException("SIPp exited:\n" + uas.tail(20));
            }
            if (!udpFree(Ports.UAS)) {
                return;
            }
            Proc.sleep(Duration.ofMillis(50));
        }
        throw new IOException("SIPp did not bind " + Ports.UAS);
    }

    private Proc add(Proc p) {
        started.add(p);
        return p;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop(Duration.ofSeconds(10));
        }
        started.clear();
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** rtpengine's ng "ping" (bencode over UDP, cookie first) answered with "pong". */
    static boolean ngPing() {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(300);
            byte[] request = "bench1 d7:command4:pinge".getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(request, request.length, InetAddress.getByName(Ports.HOST), Ports.NG));
            byte[] buffer = new byte[256];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            return new String(buffer, 0, reply.getLength(), StandardCharsets.US_ASCII).contains("pong");
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The sessions rtpengine holds: its ng "list" (the call ids), counted; -1 without an answer. */
    static int ngSessions() {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            // a cookie of its own each time: rtpengine answers a cookie it has seen with its cached reply
            byte[] request = ("soak" + System.nanoTime() + " d7:command4:list5:limiti1000000ee")
                    .getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(request, request.length, InetAddress.getByName(Ports.HOST), Ports.NG));
            byte[] buffer = new byte[65535];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            return countListed(new String(buffer, 0, reply.getLength(), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The length of the bencoded list under the key "calls" of an ng reply ({@code cookie d5:callsl<len>:<id>...e
     * 6:result2:oke}); -1 when there is none.
     */
    static int countListed(String reply) {
        int at = reply.indexOf("5:callsl");
        if (at < 0) {
            return -1;
        }
        int i = at + "5:callsl".length();
        int count = 0;
        while (i < reply.length() && reply.charAt(i) != 'e') {
            int colon = reply.indexOf(':', i);
            if (colon < 0) {
                return -1;
            }
            int length;
            try {
                length = Integer.parseInt(reply.substring(i, colon));
            } catch (NumberFormatException e) {
                return -1;
            }
            i = colon + 1 + length;
            count++;
        }
        return i < reply.length() ? count : -1;
    }

    static boolean udpFree(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(Ports.HOST), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean tcpFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(Ports.HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A unix socket path short enough for sun_path (108 bytes). */
    static Path controlSocket(Path runDir, String name) throws IOException {
        Files.createDirectories(runDir);
        Path socket = runDir.resolve("ctl");
        if (socket.toString().length() > 100) {
            socket = Files.createTempDirectory("webims-bench-" + name).resolve("ctl");
        }
        return socket;
    }

    /** Kamailio processes: start and wait for the ctl socket, and what kamcmd reports. */
    static final class Kamailio {
        private static final Pattern REAL_USED = Pattern.compile("real_used:\\s*(\\d+)");

        private Kamailio() {}

        /**
         * Starts {@code kamailio -f cfg} in the foreground with 2 GB of shared and 32 MB of private memory per process
         * (design/testbed.md: less fails under load), each define passed with {@code -A}.
         */
        static Proc start(String name, Path cfg, Path run, String ctl, List<String> defines) throws IOException {
            Files.createDirectories(run);
            List<String> cmd = new ArrayList<>(List.of("kamailio", "-f", cfg.toString(), "-DD", "-E",
                    "-Y", run.toString(), "-P", run.resolve("kamailio.pid").toString(), "-w", run.toString(),
                    "-m", "2048", "-M", "32"));
            for (String define : defines) {
                cmd.add("-A");
                cmd.add(define);
            }
            Proc p = Proc.start(name, cmd, run, Map.of());
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IOException(name + " (kamailio) exited:\n" + p.tail(30));
                }
                if (kamcmd(ctl, "core.uptime").contains("uptime")) {
                    return p;
                }
                Proc.sleep(Duration.ofMillis(50));
            }
            p.stop(Duration.ofSeconds(5));
            throw new IOException(name + " (kamailio) not answering on " + ctl + ":\n" + p.tail(30));
        }

        static String kamcmd(String ctl, String... command) {
            List<String> cmd = new ArrayList<>(List.of("kamcmd", "-s", ctl));
            cmd.addAll(List.of(command));
            return Proc.output(Duration.ofSeconds(10), cmd.toArray(String[]::new));
        }

        /** Shared memory in use (bytes, with allocator overhead: {@code core.shmmem} real_used). */
        static Optional<Long> sharedMemoryUsed(String ctl) {
            Matcher m = REAL_USED.matcher(kamcmd(ctl, "core.shmmem"));
            return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        }
    }
}

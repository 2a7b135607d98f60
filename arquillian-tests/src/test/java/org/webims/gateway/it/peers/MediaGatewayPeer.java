package org.webims.gateway.it.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.webims.gateway.sip.media.NgClient;
import org.webims.gateway.sip.media.NgSettings;

/**
 * rtpengine in userspace as the eIMS-AGW of the tests (flags from the test bed notes): ng control on
 * 127.0.0.1:2323 (TestBed), RTP ports 31000-31999, loopback only. {@link #sessions()} asks it over ng which calls it holds.
 */
public final class MediaGatewayPeer implements AutoCloseable {
    public static final int NG_PORT = org.webims.gateway.it.TestBed.NG_PORT;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path runDir;

    private MediaGatewayPeer(Process process, Path runDir) {
        this.process = process;
        this.runDir = runDir;
    }

    public static MediaGatewayPeer start() throws IOException {
        Path runDir = PeerProcesses.newRunDir("rtpengine");
        List<String> cmd = List.of("rtpengine", "--config-file=none", "--foreground", "--log-stderr", "--table=-1",
                "--interface=127.0.0.1", "--listen-ng=127.0.0.1:" + NG_PORT, "--port-min=31000",
                "--port-max=31999", "--timeout=60", "--delete-delay=0", "--log-level=6",
                // the control protocol's warnings quote each refused ng packet whole, SDP included: errors only
                "--log-level-control=3");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(runDir.resolve("rtpengine.log").toFile()).start();
        MediaGatewayPeer peer = new MediaGatewayPeer(process, runDir);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("rtpengine exited on start:\n" + PeerProcesses.tail(peer.log(), 30));
            }
            try {
                peer.command(Map.of("command", "ping"));
                return peer;
            } catch (IOException notYet) {
                PeerProcesses.pause(100);
            }
        }
        peer.close();
        throw new IOException("rtpengine did not answer ping within " + START_TIMEOUT);
    }

    public Path log() {
        return runDir.resolve("rtpengine.log");
    }

    /** Call ids of the media sessions rtpengine holds now. */
    @SuppressWarnings("unchecked")
    public List<String> sessions() throws IOException {
        Map<String, Object> reply = command(Map.of("command", "list", "limit", 1000L));
        Object calls = reply.get("calls");
        return calls instanceof List<?> list ? (List<String>) list : List.of();
    }

    /** rtpengine's own counters of one session ("query"). */
    public Map<String, Object> query(String callId) throws IOException {
        return command(Map.of("command", "query", "call-id", callId));
    }

    private Map<String, Object> command(Map<String, Object> request) throws IOException {
        var timer = Executors.newSingleThreadScheduledExecutor();
        try (NgClient ng = NgClient.open(NgSettings.of("127.0.0.1", NG_PORT).withRetries(1, Duration.ofSeconds(1)),
                timer, Runnable::run)) {
            return ng.command(request).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("rtpengine ng " + request.get("command") + ": " + e.getMessage(), e);
        } finally {
            timer.shutdownNow();
        }
    }

    /** Freezes it (SIGSTOP): its sockets stay open, it answers nothing, media stops, until {@link #thaw}. */
    public void freeze() throws IOException {
        signal("-STOP");
    }

    public void thaw() throws IOException {
        signal("-CONT");
    }

    private void signal(String which) throws IOException {
        PeerProcesses.Output out = PeerProcesses.run(Duration.ofSeconds(5), List.of("kill", which,
                Long.toString(process.pid())));
        if (out.exitCode() != 0) {
            throw new IOException("kill " + which + " rtpengine failed: " + out);
        }
    }

    @Override
    public void close() {
        PeerProcesses.stop(process, Duration.ofSeconds(5));
    }
}

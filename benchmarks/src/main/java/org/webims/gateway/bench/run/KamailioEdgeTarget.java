package org.webims.gateway.bench.run;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline: Kamailio running {@code deployment/kamailio-edge/kamailio.cfg} as the RFC 7118 edge proxy, with
 * rtpengine anchoring media ({@code WITH_RTPENGINE}) or SDP passed through.
 */
final class KamailioEdgeTarget implements Target {
    private final Path cfg;
    private final Path runDir;
    private final boolean media;
    private Proc kamailio;
    private String ctl;

    KamailioEdgeTarget(Path repo, Path runDir, boolean media) {
        this.cfg = repo.resolve("deployment/kamailio-edge/kamailio.cfg");
        this.runDir = runDir;
        this.media = media;
    }

    @Override
    public String key() {
        return "kamailio";
    }

    @Override
    public String description() {
        return media ? "Kamailio edge + rtpengine" : "Kamailio edge, SDP passed through";
    }

    @Override
    public URI wsUri() {
        return URI.create("ws://" + Ports.HOST + ":" + Ports.EDGE_WS + "/");
    }

    @Override
    public boolean anchorsMedia() {
        return media;
    }

    @Override
    public void start() throws IOException {
        ctl = "unix:" + Peers.controlSocket(runDir, "edge");
        List<String> defines = new ArrayList<>(List.of("EDGE_SIP_PORT=" + Ports.EDGE_SIP, "EDGE_WS_PORT=" + Ports.EDGE_WS,
                "EDGE_CORE=\"sip:" + Ports.HOST + ":" + Ports.CORE + ";lr\"", "EDGE_CTL=\"" + ctl + "\"",
                "EDGE_NG=\"udp:" + Ports.HOST + ":" + Ports.NG + "\""));
        if (media) {
            defines.add("WITH_RTPENGINE");
        }
        kamailio = Peers.Kamailio.start("kamailio-edge", cfg, runDir, ctl, defines);
    }

    @Override
    public List<ProcessHandle> processes() {
        return kamailio == null ? List.of() : Proc.tree(kamailio.handle());
    }

    @Override
    public long liveBytes() {
        return Peers.Kamailio.sharedMemoryUsed(ctl).orElse(-1L);
    }

    /** {@code kamcmd mod.stats all shm}: shared memory by module and allocating function. */
    @Override
    public java.util.Map<String, Long> memoryByOwner() {
        java.util.Map<String, Long> bytes = new java.util.HashMap<>();
        String module = "?";
        for (String line : Peers.Kamailio.kamcmd(ctl, "mod.stats", "all", "shm").split("\n")) {
            String l = line.strip();
            if (l.startsWith("Module:")) {
                module = l.substring(7).strip();
            } else if (l.contains("):") && !l.startsWith("Total")) {
                String site = l.substring(0, l.lastIndexOf(':'));
                bytes.merge(module + " " + site, Long.parseLong(l.substring(l.lastIndexOf(':') + 1).strip()),
                        Long::sum);
            }
        }
        return bytes;
    }

    @Override
    public String liveLabel() {
        return "Kamailio shared memory in use (kamcmd core.shmmem real_used)";
    }

    @Override
    public void close() {
        if (kamailio != null) {
            kamailio.stop(Duration.ofSeconds(10));
            kamailio = null;
        }
    }
}

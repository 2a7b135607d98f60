package org.webims.gateway.ejb.qos;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.peer.DiameterPeer;
import org.webims.gateway.diameter.peer.PeerGroup;
import org.webims.gateway.diameter.peer.Urgency;
import org.webims.gateway.ejb.charging.ChargingSettings;
import org.webims.gateway.ejb.charging.SessionIds;
import org.webims.gateway.ports.qos.QosControl;

/**
 * QoS over Rx's lifecycle (TS 29.214, the gateway as the AF): the PCRF peers on their own Netty event-loop thread,
 * each answering the PCRF's ASR and RAR through {@link PolicyAuthorization}, which call control asks for the calls of
 * clients on an access network with QoS. Without {@code gateway.qos.rx.peers} there is no Rx at all. Started before
 * the SIP runtime, which injects this bean; on stop every open Rx session is ended with STR.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class QosService {
    private static final Logger LOG = Logger.getLogger(QosService.class.getName());

    @Resource
    private ManagedThreadFactory threads;

    private volatile QosControl control = QosControl.none();
    private volatile QosSettings settings;
    private final List<DiameterPeer> peers = new ArrayList<>();
    private EventLoopGroup group;
    private PolicyAuthorization authorization;

    @PostConstruct
    void start() {
        ChargingSettings diameter = ChargingSettings.from(ConfigProvider.getConfig());
        settings = QosSettings.from(ConfigProvider.getConfig(), diameter);
        if (settings.peers().isEmpty()) {
            LOG.info("QoS: no PCRF configured (gateway.qos.rx.peers): no Rx, calls go on without QoS requests");
            return;
        }
        group = new NioEventLoopGroup(1, threads);
        InetAddress hostIp = hostAddress();
        for (ChargingSettings.PeerAddress address : settings.peers()) {
            peers.add(new DiameterPeer(new DiameterPeer.Settings(address.host(), address.port(),
                    diameter.originHost(), diameter.originRealm(), hostIp, List.of(),
                    List.of(RxMessages.RX_APPLICATION), diameter.watchdogInterval(), Duration.ofSeconds(10),
                    diameter.maxInFlight(), settings.answerTimeout(), Duration.ofMillis(500),
                    diameter.reconnectMax()), group));
        }
        PeerGroup pcrfs = new PeerGroup(peers);
        DiameterPeer primary = peers.get(0);
        authorization = new PolicyAuthorization(new PolicyAuthorization.Transport() {
            @Override
            public CompletableFuture<DiameterMessage> send(DiameterMessage request, String sessionHost,
                    Urgency urgency) {
                return pcrfs.send(request, sessionHost, true, urgency);
            }

            @Override
            public CompletableFuture<DiameterMessage> sendOver(DiameterMessage request, String peerHost,
                    Urgency urgency) {
                return pcrfs.sendOver(request, peerHost, urgency);
            }

            @Override
            public int nextEndToEnd() {
                return primary.nextEndToEnd();
            }
        }, new RxMessages(diameter.originHost(), diameter.originRealm(), settings.destinationRealm()),
                new SessionIds(diameter.originHost(), System.currentTimeMillis() / 1000), settings.mode());
        peers.forEach(peer -> peer.answeringWith(authorization).start());
        control = authorization;
        LOG.info(() -> "QoS over Rx on: PCRFs " + settings.peers() + ", realm " + settings.destinationRealm()
                + ", mode " + settings.mode().name().toLowerCase().replace('_', '-') + ", AAA awaited "
                + settings.answerTimeout().toMillis() + " ms");
    }

    private static InetAddress hostAddress() {
        try {
            return InetAddress.getLocalHost();
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    /** What call control asks for calls of clients on a QoS network (nothing requested when Rx is off). */
    public QosControl qosControl() {
        return control;
    }

    /** For the admin API: the mode, each PCRF's watchdog state, the Rx sessions held. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("mode", settings.peers().isEmpty() ? "off"
                : settings.mode().name().toLowerCase().replace('_', '-'));
        List<Map<String, String>> states = new ArrayList<>();
        for (DiameterPeer peer : peers) {
            states.add(Map.of("peer", peer.describe(), "state", peer.state().name()));
        }
        status.put("pcrfs", states);
        PolicyAuthorization current = authorization;
        status.put("sessions", current == null ? 0 : current.sessions());
        return status;
    }

    @PreDestroy
    void stop() {
        control = QosControl.none();
        if (authorization != null) {
            authorization.close(); // STRs go out before the peers close (their DPR waits 500 ms)
        }
        peers.forEach(DiameterPeer::close);
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}

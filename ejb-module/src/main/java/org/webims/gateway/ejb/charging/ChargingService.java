package org.webims.gateway.ejb.charging;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.webims.gateway.diameter.codec.MessageCodec;
import org.webims.gateway.diameter.peer.DiameterPeer;
import org.webims.gateway.diameter.peer.PeerGroup;
import org.webims.gateway.ejb.charging.rf.AccountingRequests;
import org.webims.gateway.ejb.charging.rf.RfPeers;
import org.webims.gateway.ejb.charging.ro.CreditControlMessages;
import org.webims.gateway.ejb.charging.ro.RoPeers;
import org.webims.gateway.ports.charging.CreditControl;
import org.webims.gateway.ports.call.CallEventListener;
import org.webims.gateway.ports.timing.CallTimers;

/**
 * Charging's lifecycle (TS 32.260 §5.2, the P-CSCF as charging trigger function): the Diameter peers (one Netty
 * event-loop thread for all), with offline charging the Rf outbox thread that keeps and delivers the records, with
 * online charging the credit control call control asks before each call and MESSAGE, and the listener call control
 * tells about its calls and MESSAGEs. Started before the SIP runtime (which injects this bean), stopped after
 * it; on stop every record handed over is stored, and what the CDF has not acknowledged goes after the restart.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ChargingService {
    private static final Logger LOG = Logger.getLogger(ChargingService.class.getName());

    @Resource
    private ManagedThreadFactory threads;

    /**
     * Each call's interim, validity, final-units and CCR-INITIAL Tx timers (later answers time out on the Diameter
     * event loop): cancelled ones leave at once (see CallTimers).
     */
    private ScheduledThreadPoolExecutor timers;

    @EJB
    private ChargingRecords records;

    private volatile ChargingSettings settings;
    private volatile CallEventListener listener = event -> { };
    private EventLoopGroup group;
    private volatile CreditControl credit = CreditControl.none();
    private final List<DiameterPeer> rfPeers = new ArrayList<>();
    private final List<DiameterPeer> roPeers = new ArrayList<>();
    private RfOutbox outbox;
    private OfflineCharging offline;
    private OnlineCharging online;
    private Thread outboxThread;

    @PostConstruct
    void start() {
        settings = ChargingSettings.from(ConfigProvider.getConfig());
        if (settings.mode() == ChargingMode.NONE) {
            LOG.info("Charging mode none: no offline nor online charging");
            return;
        }
        group = new NioEventLoopGroup(1, threads);
        timers = CallTimers.start(threads, "charging-timer", 1);
        SessionIds sessionIds = new SessionIds(settings.originHost(), System.currentTimeMillis() / 1000);
        List<CallEventListener> listeners = new ArrayList<>();
        if (settings.mode().offline()) {
            listeners.add(startOffline(sessionIds));
        }
        if (settings.mode().online()) {
            listeners.add(startOnline(sessionIds));
            credit = online;
        }
        listener = new ChargingListeners(listeners);
    }

    private OfflineCharging startOffline(SessionIds sessionIds) {
        rfPeers.addAll(peers(settings.rfPeers(), List.of(AccountingRequests.RF_APPLICATION), List.of(),
                settings.answerTimeout()));
        AccountingRequests requests = new AccountingRequests(settings.originHost(), settings.originRealm(),
                settings.rfDestinationRealm());
        DiameterPeer primary = rfPeers.get(0);
        outbox = new RfOutbox(settings.originHost(), records, new RfPeers(new PeerGroup(rfPeers)),
                record -> MessageCodec.encode(requests.acr(record, primary.nextEndToEnd())),
                new RfOutbox.Limits(settings.queueCapacity(), settings.window(), settings.maxInFlight(),
                        Duration.ofSeconds(1), settings.reconnectMax(), settings.retention(), RfOutbox.GATHER),
                Clock.systemUTC());
        outboxThread = threads.newThread(outbox);
        outboxThread.setName("charging-rf-outbox");
        outboxThread.start();
        LOG.info(() -> "Offline charging on: Rf peers " + settings.rfPeers() + ", realm "
                + settings.rfDestinationRealm() + ", interim every " + settings.interimInterval().toSeconds() + " s");
        offline = new OfflineCharging(outbox, sessionIds, timers, settings.interimInterval(), Clock.systemUTC());
        return offline;
    }

    private OnlineCharging startOnline(SessionIds sessionIds) {
        roPeers.addAll(peers(settings.roPeers(), List.of(), List.of(CreditControlMessages.RO_APPLICATION),
                settings.tx()));
        DiameterPeer primary = roPeers.get(0);
        CreditControlMessages messages = new CreditControlMessages(settings.originHost(), settings.originRealm(),
                settings.roDestinationRealm());
        LOG.info(() -> "Online charging on: Ro peers " + settings.roPeers() + ", realm "
                + settings.roDestinationRealm() + ", Tx " + settings.tx().toMillis() + " ms, failure handling "
                + settings.failureHandling());
        online = new OnlineCharging(new RoPeers(new PeerGroup(roPeers), messages, primary::nextEndToEnd), sessionIds,
                timers, Clock.systemUTC(), new OnlineCharging.Settings(settings.requestedSeconds(),
                        settings.failureHandling(), Duration.ofSeconds(5), settings.tx(),
                        settings.finalUnitsWarning()));
        return online;
    }

    private List<DiameterPeer> peers(List<ChargingSettings.PeerAddress> addresses, List<Long> acct, List<Long> auth,
            Duration answerTimeout) {
        InetAddress hostIp = hostAddress();
        List<DiameterPeer> started = new ArrayList<>();
        for (ChargingSettings.PeerAddress address : addresses) {
            DiameterPeer peer = new DiameterPeer(new DiameterPeer.Settings(address.host(), address.port(),
                    settings.originHost(), settings.originRealm(), hostIp, acct, auth, settings.watchdogInterval(),
                    Duration.ofSeconds(10), settings.maxInFlight(), answerTimeout, Duration.ofMillis(500),
                    settings.reconnectMax()), group);
            started.add(peer);
            peer.start();
        }
        return started;
    }

    private static InetAddress hostAddress() {
        try {
            return InetAddress.getLocalHost();
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    /** What call control tells about calls and MESSAGEs (a no-op listener when charging is off). */
    public CallEventListener listener() {
        return listener;
    }

    /** What call control asks before a call and a MESSAGE (everything granted when online charging is off). */
    public CreditControl creditControl() {
        return credit;
    }

    public ChargingSettings settings() {
        return settings;
    }

    /**
     * For the admin API and the health check: the mode, each peer's state, the outbox's counters and the timers of
     * live calls (none once every call has ended).
     */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("mode", settings.mode().name().toLowerCase());
        List<Map<String, String>> peers = new ArrayList<>();
        for (DiameterPeer peer : rfPeers) {
            peers.add(Map.of("peer", peer.describe(), "state", peer.state().name()));
        }
        status.put("rfPeers", peers);
        List<Map<String, String>> ocs = new ArrayList<>();
        for (DiameterPeer peer : roPeers) {
            ocs.add(Map.of("peer", peer.describe(), "state", peer.state().name()));
        }
        status.put("roPeers", ocs);
        ScheduledThreadPoolExecutor scheduled = timers;
        if (scheduled != null) {
            status.put("timers", scheduled.getQueue().size());
        }
        RfOutbox current = outbox;
        if (current != null) {
            status.put("queued", current.queued());
            status.put("inMemory", current.held());
            status.put("delivered", current.deliveredCount());
            status.put("failedAttempts", current.failedAttempts());
            status.put("rejected", current.rejectedCount());
        }
        return status;
    }

    @PreDestroy
    void stop() {
        listener = event -> { };
        credit = CreditControl.none();
        // calls still up cannot outlive the stop: their STOP records and CCR-TERMINATIONs go now (TS 32.260 §5.2.2)
        if (offline != null) {
            offline.close();
        }
        if (online != null) {
            try {
                online.close().get(settings.tx().toMillis() * 2 + 500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warning("Some CCR-TERMINATIONs were not answered before the stop: " + e);
            }
        }
        if (outbox != null) {
            outbox.stop();
            try {
                outboxThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        rfPeers.forEach(DiameterPeer::close);
        roPeers.forEach(DiameterPeer::close);
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (timers != null) {
            timers.shutdownNow(); // last: the calls' STOP records and CCR-TERMINATIONs have gone
        }
    }
}

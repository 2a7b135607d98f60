package org.webims.gateway.web.sip;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.EJB;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.time.Clock;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.logging.Logger;
import org.webims.gateway.ejb.charging.ChargingService;
import org.webims.gateway.ejb.qos.QosService;
import org.webims.gateway.ejb.policy.PolicyStore;
import org.webims.gateway.ejb.waf.WafService;
import org.webims.gateway.ports.timing.CallTimers;
import org.webims.gateway.sip.announce.Announcements;
import org.webims.gateway.sip.runtime.GatewayPorts;
import org.webims.gateway.sip.runtime.SipRuntime;
import org.webims.gateway.sip.runtime.SipSettings;
import org.webims.gateway.sip.runtime.WebSocketLimits;
import org.webims.gateway.sip.runtime.WorkerPool;
import org.webims.gateway.web.config.GatewayConfiguration;

/**
 * Owns the SIP runtime's lifecycle: started with the application, stopped with it. SIP work runs on a
 * {@link WorkerPool} of the server's managed threads (Jakarta Concurrency's thread factory), not on the managed
 * executor, which wraps every task in a captured context SIP work does not need; timers run on {@link CallTimers},
 * two more managed threads, because the managed scheduler keeps a cancelled timer and its call until the timer's
 * time. Bean-managed concurrency: the runtime is thread-safe and callers must never queue on a lock.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SipRuntimeHost {
    private static final Logger LOG = Logger.getLogger(SipRuntimeHost.class.getName());

    /**
     * Tasks queued for the SIP workers at most. {@code gateway.sip.max-queue-delay-ms} refuses new sessions long
     * before: at 2,000 tasks a second a queue of 10,000 is five seconds of work.
     */
    static final int WORK_QUEUE_CAPACITY = 10_000;

    @Resource
    private ManagedThreadFactory threads;

    /** Keepalives, expiry sweeps and every call's timers (duration limit, session refresh, announcements). */
    private volatile ScheduledThreadPoolExecutor timers;

    /** SIP procedures, one call at a time each, and the continuations of rtpengine's replies. */
    private volatile WorkerPool workers;

    /** The policy store; call control reads its in-memory catalogue, never the bean itself. */
    @EJB
    private PolicyStore policies;

    /** Charging: call control tells its listener about calls and MESSAGEs; the listener never blocks. */
    @EJB
    private ChargingService charging;

    /** QoS over Rx: call control asks its plain-Java port, never the bean. */
    @EJB
    private QosService qos;

    /** The WAF; the eP-CSCF checks tokens with its plain-Java checker, never through the bean. */
    @EJB
    private WafService waf;

    private volatile SipRuntime runtime;
    private volatile WebSocketLimits webSocketLimits;

    @PostConstruct
    void start() {
        try {
            GatewayConfiguration configuration = GatewayConfiguration.current();
            SipSettings settings = configuration.sipSettings();
            webSocketLimits = settings.webSocketLimits();
            Announcements announcements = configuration.announcementsEnabled()
                    ? Announcements.prepare(configuration.announcements()) : Announcements.none();
            GatewayPorts ports = new GatewayPorts(policies.callPolicy(), charging.listener(), configuration.dialPlan(),
                    waf.accessTokens(), charging.creditControl(), announcements, qos.qosControl());
            timers = CallTimers.start(threads, "sip-timer", 2);
            workers = WorkerPool.start(threads, "sip-worker", configuration.sipWorkerThreads(),
                    WORK_QUEUE_CAPACITY);
            runtime = SipRuntime.start(settings, ports, workers, timers, Clock.systemUTC());
        } catch (Exception e) {
            LOG.severe("The SIP stack did not start: " + e);
            stopThreads();
            throw new IllegalStateException("SIP stack failed to start", e);
        }
    }

    @PreDestroy
    void stop() {
        SipRuntime current = runtime;
        runtime = null;
        if (current != null) {
            current.close();
        }
        stopThreads();
    }

    /** The timers first: a timer that fires while the workers stop would hand them work they no longer take. */
    private void stopThreads() {
        if (timers != null) {
            timers.shutdownNow();
        }
        if (workers != null) {
            workers.close();
        }
    }

    /** The running runtime; throws when the application is stopping. */
    public SipRuntime runtime() {
        SipRuntime current = runtime;
        if (current == null) {
            throw new IllegalStateException("SIP runtime not running");
        }
        return current;
    }

    /** The limits the WebSocket endpoint enforces, as configured at start. */
    public WebSocketLimits webSocketLimits() {
        return webSocketLimits;
    }

    /** Timers waiting on the SIP runtime's scheduler (keepalives, sweeps, and live calls' timers). */
    public int pendingTimers() {
        ScheduledThreadPoolExecutor current = timers;
        return current == null ? 0 : current.getQueue().size();
    }

    public boolean running() {
        return runtime != null;
    }
}

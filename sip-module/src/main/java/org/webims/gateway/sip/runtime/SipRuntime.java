package org.webims.gateway.sip.runtime;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import org.webims.gateway.sip.b2bua.B2bua;
import org.webims.gateway.sip.call.CallView;
import org.webims.gateway.sip.call.EmergencyPolicy;
import org.webims.gateway.sip.signalling.SipContext;
import org.webims.gateway.sip.edge.AnswerRetransmissions;
import org.webims.gateway.sip.edge.CoreWatch;
import org.webims.gateway.sip.edge.EdgeProxy;
import org.webims.gateway.sip.edge.GuestDeregistration;
import org.webims.gateway.sip.edge.EntryValve;
import org.webims.gateway.sip.edge.RegisterAgain;
import org.webims.gateway.sip.edge.OwnOverload;
import org.webims.gateway.sip.edge.TrustedPeers;
import org.webims.gateway.sip.media.CodecPolicy;
import org.webims.gateway.sip.media.MediaGateway;
import org.webims.gateway.sip.media.NgClient;
import org.webims.gateway.sip.media.NgSettings;
import org.webims.gateway.sip.media.PassThroughMediaGateway;
import org.webims.gateway.sip.media.RtpengineMediaGateway;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.flow.FlowTable;
import org.webims.gateway.sip.flow.FlowTokens;
import org.webims.gateway.sip.flow.KeepaliveSupervisor;
import org.webims.gateway.sip.flow.RegistrationDeadline;
import org.webims.gateway.sip.liveness.CoreKeepalive;
import org.webims.gateway.sip.liveness.CoreStatus;
import org.webims.gateway.sip.transport.SocketBufferCheck;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.registration.CoreBindings;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.transport.FlowRouter;
import org.webims.gateway.sip.transport.GatewayMessageProcessorFactory;
import org.webims.gateway.sip.transport.JulStackLogger;
import org.webims.gateway.sip.transport.NoDelayNetworkLayer;
import org.webims.gateway.sip.transport.WebSocketMessageProcessor;
import org.webims.gateway.sip.transport.WebSocketTransport;
import org.webims.gateway.sip.transport.WheelSipTimer;

/**
 * The SIP stack of the gateway and everything that lives as long as it: the Mw listening points (UDP, TCP), the
 * WebSocket transports, the flows and the registrations. Its host starts it once and closes it once.
 */
public final class SipRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SipRuntime.class.getName());
    /** The largest SIP message the stack accepts (UDP, TCP; WebSocket has its own gateway.ws.max-message-bytes). */
    static final int MAX_CORE_MESSAGE_BYTES = 65_536;

    private final SipStackImpl stack;
    /** rtpengine's control client; null when media is not anchored. */
    private final NgClient ng;
    private final B2bua b2bua;
    private final FlowTable flows;
    private final RegistrationStore registrations;
    private final WebSocketTransport webSockets;
    private final CoreWatch core;
    private final WorkQueueDelay workDelay;
    private final List<ScheduledFuture<?>> housekeeping;

    private SipRuntime(SipStackImpl stack, NgClient ng, FlowTable flows, RegistrationStore registrations,
            WebSocketTransport webSockets, B2bua b2bua, CoreWatch core, WorkQueueDelay workDelay,
            List<ScheduledFuture<?>> housekeeping) {
        this.stack = stack;
        this.ng = ng;
        this.b2bua = b2bua;
        this.flows = flows;
        this.registrations = registrations;
        this.webSockets = webSockets;
        this.core = core;
        this.workDelay = workDelay;
        this.housekeeping = housekeeping;
    }

    /**
     * Starts the stack.
     *
     * @param ports    the policy call control asks and the listener of its call events
     * @param executor where SIP work runs (in the server, threads of the managed thread factory)
     * @param scheduler where keepalives, expiry sweeps, the ng sweep and every call's timers run (in the server, a
     *                  {@code CallTimers} scheduler: a cancelled timer leaves it at once)
     */
    public static SipRuntime start(SipSettings settings, GatewayPorts ports, WorkerPool executor,
            ScheduledExecutorService scheduler,
            Clock clock) throws Exception {
        SipStackImpl stack = new SipStackImpl(stackProperties());
        NgClient ng = null;
        try {
            ListeningPoint udp = stack.createListeningPoint(settings.sipHost(), settings.sipPort(), "udp");
            ListeningPoint tcp = stack.createListeningPoint(settings.sipHost(), settings.sipPort(), "tcp");
            ListeningPoint ws = stack.createListeningPoint(settings.sipHost(), settings.wsPort(), "ws");
            ListeningPoint wss = stack.createListeningPoint(settings.sipHost(), settings.wssPort(), "wss");
            SipProvider provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            provider.addListeningPoint(ws);
            provider.addListeningPoint(wss);

            FlowTable flows = new FlowTable(clock);
            RegistrationStore registrations = new RegistrationStore(clock);
            CoreBindings coreBindings = new CoreBindings(settings.maxRegistrationsPerAor(), clock);
            WorkQueueDelay workDelay = WorkQueueDelay.of(settings.workMaxQueueDelay());
            // the core's answers wait for the stack's threads before any work of ours: the same bound, read at the door
            WorkQueueDelay receiveDelay = WorkQueueDelay.of(settings.workMaxQueueDelay());
            GatewayMessageProcessorFactory.measureReceiveQueue(udp, receiveDelay);
            KeyedSerialExecutor work = KeyedSerialExecutor.on(executor, workDelay);
            // work of no call: measured by the same delay, and it takes the calls parked while the queue was full
            Executor unkeyed = work.unkeyed();
            Executor completions = completingHereWhenFull(unkeyed);
            MediaGateway media;
            if (settings.mediaAnchoring()) {
                ng = NgClient.open(ngSettings(settings), scheduler, completions);
                media = new RtpengineMediaGateway(ng,
                        new CodecPolicy(settings.imsCodecs(), List.of(), CodecPolicy.WEBRTC_CODECS));
            } else {
                media = new PassThroughMediaGateway(completions);
            }
            SipContext edge = new SipContext(provider, new MessageFactoryImpl(), new HeaderFactoryImpl(),
                    new AddressFactoryImpl(), settings, FlowTokens.withRandomKey());
            B2bua b2bua = new B2bua(edge, media, registrations, EmergencyPolicy.ofList(settings.emergencyNumbers()),
                    ports, work, scheduler, clock);
            WebSocketTransport webSockets = new WebSocketTransport(stack,
                    (WebSocketMessageProcessor) ((ListeningPointImpl) ws).getMessageProcessor(),
                    (WebSocketMessageProcessor) ((ListeningPointImpl) wss).getMessageProcessor(),
                    flows, settings.maxMessageBytes(), clock,
                    new FlowClosure(registrations, b2bua::flowClosed, new GuestDeregistration(edge)::deregister,
                            ports.tokens(), unkeyed),
                    new OwnOverload(workDelay, receiveDelay, edge, flow -> registrations.allForFlow(flow.id()),
                            b2bua::isEmergency, media::saturated, clock));
            TrustedPeers trustedPeers = TrustedPeers.parse(settings.trustedPeers());
            if (trustedPeers.anyHost()) {
                LOG.warning("gateway.ims.trusted-peers is empty: SIP is taken from any host on port "
                        + settings.sipPort() + "; set it to the IMS core's addresses unless only the core can reach it");
            } else {
                LOG.info(() -> "SIP taken on port " + settings.sipPort() + " from " + trustedPeers + " only");
            }
            stack.sipMessageValves.add(new EntryValve(trustedPeers, b2bua::mayArriveOn, b2bua::sawAnswer,
                    b2bua::untakenAnswer, edge.coreBacklog, new AnswerRetransmissions(stack), settings.sipHost()));
            CoreKeepalive keepalive = settings.coreKeepalive();
            CoreWatch core = new CoreWatch(edge, keepalive, unkeyed, clock, new RegisterAgain(flows, registrations));
            provider.addSipListener(new EdgeProxy(edge, flows, registrations, b2bua, work, core, coreBindings,
                    ports.policy(), ports.tokens(), ports.dialPlan(), ports.events(),
                    ports.credit()));
            stack.start();

            long ping = settings.pingInterval().toMillis();
            long sweep = settings.expirySweep().toMillis();
            List<ScheduledFuture<?>> housekeeping = new java.util.ArrayList<>(List.of(
                    scheduler.scheduleAtFixedRate(new KeepaliveSupervisor(flows, settings.pingInterval(), clock),
                            ping, ping, TimeUnit.MILLISECONDS),
                    scheduler.scheduleAtFixedRate(
                            () -> {
                                registrations.expire().forEach(b -> logRemoved(b, "it expired"));
                                coreBindings.expire();
                            },
                            sweep, sweep, TimeUnit.MILLISECONDS)));
            housekeeping.addAll(scheduleRegistrationDeadline(settings.webSocketLimits().registerTimeout(), flows,
                    registrations, scheduler, clock));
            if (keepalive.enabled()) {
                long every = keepalive.interval().toMillis();
                housekeeping.add(scheduler.scheduleAtFixedRate(core, 0, every, TimeUnit.MILLISECONDS));
                LOG.info(() -> "IMS core liveness: OPTIONS to " + settings.imsProxy() + " every " + every
                        + " ms, down after " + keepalive.failuresBeforeDown() + " failures in a row");
            } else {
                LOG.warning("gateway.ims.keepalive-seconds is 0: the IMS core's liveness is not watched");
            }
            LOG.info(() -> "SIP stack started: Mw udp/tcp " + settings.sipHost() + ":" + settings.sipPort()
                    + ", IMS core " + settings.imsProxy() + ", domain " + settings.imsDomain()
                    + (settings.mediaAnchoring() ? ", media anchored on rtpengine " + settings.mediaNg()
                            : ", media not anchored (SDP passed through)"));
            return new SipRuntime(stack, ng, flows, registrations, webSockets, b2bua, core, workDelay,
                    housekeeping);
        } catch (Exception e) {
            stack.stop();
            if (ng != null) {
                ng.close();
            }
            throw e;
        }
    }

    /**
     * The executor on which answers of rtpengine (or of the pass-through) complete: {@code unkeyed}, or the completing
     * thread itself when its queue is full. A completion mostly queues the call's next step (an announcement's may issue the next ng command);
     * refusing it would leave the call waiting for an answer that came.
     */
    static Executor completingHereWhenFull(Executor unkeyed) {
        return task -> {
            try {
                unkeyed.execute(task);
            } catch (RejectedExecutionException full) {
                task.run();
            }
        };
    }

    /** Checks every second for connections past their time to register; none when the timeout is zero. */
    private static List<ScheduledFuture<?>> scheduleRegistrationDeadline(java.time.Duration timeout,
            FlowTable flows, RegistrationStore registrations, ScheduledExecutorService scheduler, Clock clock) {
        if (timeout.isZero()) {
            return List.of();
        }
        return List.of(scheduler.scheduleAtFixedRate(
                new RegistrationDeadline(flows, id -> registrations.forFlow(id).isPresent(), timeout, clock),
                1, 1, TimeUnit.SECONDS));
    }

    /** JAIN-SIP's settings: our transports, router and logger; no automatic dialogs (the B2BUA owns them). */
    static Properties stackProperties() {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "webrtc-ims-gateway");
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        // RFC 3261 §13.2.2.4: early dialogs of a forked INVITE, and 2xx answers of other forks, for 64*T1.
        p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS", "32");
        p.setProperty("javax.sip.ROUTER_PATH", FlowRouter.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", GatewayMessageProcessorFactory.class.getName());
        p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", NoDelayNetworkLayer.class.getName()); // TCP_NODELAY
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", JulStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", WheelSipTimer.class.getName()); // why: WheelSipTimer
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", "gov.nist.javax.sip.stack.ServerLog");
        // The listener only queues work, so the stack may call it on its transport threads.
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // a NOTIFY matching no subscription of the stack's own is still ours to answer (the stack would drop it
        // silently; RFC 3261 §8.2: every request gets a final response)
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE",
                Integer.toString(GatewayMessageProcessorFactory.STACK_THREADS));
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        // The stack keeps every answered INVITE's client dialog 64*T1 (its check that the ACK went out, never
        // cancelled) and the transaction as long (MAX_FORK_TIME_SECONDS): by default they held the messages, both
        // transactions and through them the whole ended call, 52 KB a call for 32 s. With "Normal" a finished
        // transaction keeps its request as bytes (re-parsed if asked for), a dialog we answered drops its
        // transactions once ACKed and any dialog its state 8 s after it ends: 9 KB of an ended call stays, held by
        // the INVITE's transaction for forks. Read what a transaction's request says before its final response.
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Normal");
        // No message (nor Content-Length) over 64 KiB on any transport, and on TCP each read of a message (its header
        // section once its first line is in, then each part of its body) within 5 s: without these one peer could
        // make the stack allocate any Content-Length or hold a connection and its thread forever. No
        // MAX_CONNECTIONS: JAIN-SIP counts a connection before it sends anything and never times out an idle one,
        // so a cap would let any host lock the core out of TCP with idle connections.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(MAX_CORE_MESSAGE_BYTES));
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "5000");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        // The stack's default socket buffers are 64 KiB, below the system's own: a burst from the core (a few hundred
        // datagrams) overflowed it and was dropped (docs/BENCHMARKS.md at 1,000 REGISTER/s). The kernel caps these
        // at net.core.rmem_max / wmem_max.
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(SocketBufferCheck.UDP_BUFFER_BYTES));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", Integer.toString(SocketBufferCheck.UDP_BUFFER_BYTES));
        return p;
    }

    /** host:port of rtpengine's ng socket, with the configured per-attempt timeout. */
    private static NgSettings ngSettings(SipSettings settings) {
        String address = settings.mediaNg();
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("gateway.media.ng must be host:port, not " + address);
        }
        return NgSettings.of(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))
                .withRetries(settings.mediaAttempts(), settings.mediaTimeout())
                .withFlowControl(settings.mediaMaxInFlight(), settings.mediaMaxWaitingNew())
                .withMaxQueueDelay(settings.mediaMaxQueueDelay());
    }

    static void logRemoved(Binding binding, String why) {
        LOG.info(() -> "Binding of " + binding.aor() + " (" + binding.contact() + ") removed: " + why);
    }

    /** The JAIN-SIP stack itself, for diagnostics (its message valves, its transaction tables). */
    public SipStackImpl stack() {
        return stack;
    }

    public WebSocketTransport webSockets() {
        return webSockets;
    }

    public RegistrationStore registrations() {
        return registrations;
    }

    public FlowTable flows() {
        return flows;
    }

    /** Whether the IMS core answers, as the keepalive and the traffic toward it show. */
    public CoreStatus coreStatus() {
        return core.status();
    }

    /** The live calls through the B2BUA. */
    public List<CallView> calls() {
        return b2bua.calls();
    }

    /** How many calls the B2BUA holds. */
    public int callCount() {
        return b2bua.callCount();
    }

    /** SIP work (calls' turns, rtpengine answers' continuations) waiting for a worker now. */
    public int workWaiting() {
        return workDelay.waiting();
    }

    /** rtpengine commands sent and not answered yet (0 when media is not anchored). */
    public int mediaCommandsInFlight() {
        return ng == null ? 0 : ng.inFlightCount();
    }

    /** rtpengine commands not answered yet, sent or waiting for their turn (0 when media is not anchored). */
    public int mediaCommandsPending() {
        return ng == null ? 0 : ng.pendingCount();
    }

    /** Whether rtpengine is behind enough that new calls are refused (503 "media gateway saturated"). */
    public boolean mediaSaturated() {
        return ng != null && ng.saturated();
    }

    @Override
    public void close() {
        housekeeping.forEach(f -> f.cancel(false));
        stack.stop();
        if (ng != null) {
            ng.close();
        }
        LOG.info("SIP stack stopped");
    }
}

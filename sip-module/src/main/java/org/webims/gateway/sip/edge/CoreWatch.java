package org.webims.gateway.sip.edge;

import gov.nist.javax.sip.message.SIPRequest;
import org.webims.gateway.sip.signalling.SipContext;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.liveness.CoreKeepalive;
import org.webims.gateway.sip.liveness.CoreLiveness;
import org.webims.gateway.sip.liveness.CoreLiveness.Change;
import org.webims.gateway.sip.liveness.CoreLiveness.Evidence;
import org.webims.gateway.sip.liveness.CoreStatus;
import org.webims.gateway.sip.transport.FlowRouter;

/**
 * Watches the IMS core's next hop ({@code gateway.ims.proxy}): each run sends an OPTIONS keepalive through the
 * stack's transaction layer (RFC 3261 §11, Max-Forwards 0 so the next hop answers it itself, §16.3), and the
 * responses, timeouts and transport errors of every transaction toward that hop count as evidence too. While the
 * core is down, new requests from clients are refused at once with 503 (RFC 3261 §21.5.4); when it answers again,
 * {@code onComeBack} asks the registered clients to register again.
 */
public final class CoreWatch implements Runnable {
    private static final Logger LOG = Logger.getLogger(CoreWatch.class.getName());
    /** Overload refusals are logged at a bounded rate: a flood must not flood the log. */
    private static final org.webims.gateway.sip.logging.RateLimitedLog OVERLOAD =
            org.webims.gateway.sip.logging.RateLimitedLog.of(LOG);
    /** The application data marking our probes' transactions. */
    private static final Object PROBE = new Object();

    private final SipContext sip;
    private final CoreKeepalive keepalive;
    private final CoreLiveness liveness;
    private final Executor executor;
    private final Clock clock;
    private final Runnable onComeBack;
    private final SipURI target;
    private final int targetPort;
    private final AtomicLong cseq = new AtomicLong(1);
    /** The core came back and its clients are still to be asked to register again. */
    private final java.util.concurrent.atomic.AtomicBoolean comeBackOwed =
            new java.util.concurrent.atomic.AtomicBoolean();
    private static final org.webims.gateway.sip.logging.PeriodicCountLog SKIPPED =
            new org.webims.gateway.sip.logging.PeriodicCountLog(LOG, Duration.ofMinutes(1));

    public CoreWatch(SipContext sip, CoreKeepalive keepalive, Executor executor, Clock clock, Runnable onComeBack) {
        this.sip = sip;
        this.keepalive = keepalive;
        this.liveness = new CoreLiveness(keepalive.failuresBeforeDown(), clock.instant());
        this.executor = executor;
        this.clock = clock;
        this.onComeBack = onComeBack;
        this.target = (SipURI) sip.coreEntryRoute().getURI();
        this.target.removeParameter("lr");
        this.targetPort = target.getPort() > 0 ? target.getPort() : 5060;
    }

    /**
     * The scheduler's tick: one probe, sent from the executor (a TCP connect may take a while), and the re-REGISTER
     * requests owed since the core came back if the executor could not take them then. A periodic task that throws
     * is never run again: a full executor skips this tick's probe (no evidence either way), it does not end the watch.
     */
    @Override
    public void run() {
        askAgainIfOwed();
        try {
            executor.execute(this::probe);
        } catch (RejectedExecutionException full) {
            SKIPPED.record(count -> count + " OPTIONS keepalive(s) toward " + target
                    + " skipped since the last such line: the SIP workers' queue is full (" + full.getMessage() + ")");
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "IMS core keepalive toward " + target + " failed", e);
        }
    }

    /** Hands {@code onComeBack} to the executor if it is owed; when the executor is full, the next tick tries again. */
    private void askAgainIfOwed() {
        if (!comeBackOwed.getAndSet(false)) {
            return;
        }
        try {
            executor.execute(onComeBack);
        } catch (RejectedExecutionException full) {
            comeBackOwed.set(true);
            LOG.warning(() -> "The IMS core came back but the SIP workers' queue is full: registered clients are asked"
                    + " to register again at the next keepalive tick");
        }
    }

    public CoreStatus status() {
        return liveness.status();
    }

    /**
     * Refuses a new request from a client while the core is down: 503 with Retry-After and a Warning, and no
     * transaction toward the core. Requests within a dialog (with a To tag) pass. Returns whether it answered.
     */
    boolean refuses(ServerTransaction st, Request request) {
        if (!liveness.down() || ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
            return false;
        }
        try {
            Response response = sip.messages.createResponse(Response.SERVICE_UNAVAILABLE, request);
            response.setReasonPhrase("Service Unavailable (IMS core down)");
            response.addHeader(sip.headers.createRetryAfterHeader(keepalive.retryAfterSeconds()));
            response.addHeader(sip.headers.createWarningHeader(sip.settings.sipHost(), 399,
                    "IMS core not answering, try again later"));
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not refuse " + request.getMethod() + " while the IMS core is down", e);
        }
        return true;
    }

    /**
     * Overload control (RFC 7339 §1): while {@code gateway.ims.max-pending} requests await any answer of the core
     * ({@link org.webims.gateway.sip.liveness.CoreBacklog}), a new call (an INVITE outside a dialog) and the first
     * REGISTER of a connection ({@code registered}: it holds a binding already) get 503 with Retry-After and a Warning
     * at once; refreshes of registrations and
     * everything within calls go on. Returns whether it answered.
     */
    boolean overloaded(ServerTransaction st, Request request, org.webims.gateway.sip.flow.Flow flow,
            boolean registered) {
        boolean newCall = Request.INVITE.equals(request.getMethod())
                && ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null;
        // a REGISTER with credentials answers the core's challenge: that exchange is already under way
        boolean newRegistration = Request.REGISTER.equals(request.getMethod()) && !registered
                && request.getHeader(javax.sip.header.AuthorizationHeader.NAME) == null;
        if (!(newCall || newRegistration) || !sip.coreBacklog.full()) {
            return false;
        }
        OVERLOAD.warning("core backlog", () -> request.getMethod() + " over " + flow.describe() + " refused: "
                + sip.coreBacklog.limit() + " requests await any answer of the IMS core (gateway.ims.max-pending)");
        sip.respondWithWarning(st, Response.SERVICE_UNAVAILABLE, "Service Unavailable (IMS core overloaded)",
                "the IMS core is behind, try again later"); // with Retry-After
        return true;
    }

    /** Whether the transaction is one of our probes, which nothing else handles. */
    static boolean isProbe(ClientTransaction ct) {
        return ct.getApplicationData() == PROBE;
    }

    /** Any response on a transaction toward the core: it is alive. */
    void answered(ClientTransaction ct) {
        if (isProbe(ct)) {
            observe(Evidence.PROBE_ANSWERED, "OPTIONS answered");
        } else if (towardCore(ct)) {
            observe(Evidence.TRAFFIC_ANSWERED, "answered");
        }
    }

    /** A transaction toward the core ended without any response (RFC 3261 §17.1.1.2 Timer B, §17.1.2.2 Timer F). */
    void timedOut(ClientTransaction ct) {
        if (isProbe(ct)) {
            observe(Evidence.PROBE_FAILED, "OPTIONS unanswered");
        } else if (towardCore(ct)) {
            observe(Evidence.TRAFFIC_FAILED, ct.getRequest().getMethod() + " unanswered");
        }
    }

    /** The stack could not send to a host (a TCP connection refused or broken). */
    void transportError(String host, int port) {
        if (isCore(host, port)) {
            observe(Evidence.TRAFFIC_FAILED, "transport error");
        }
    }

    private void probe() {
        try {
            Request options = options();
            FlowRouter.routeVia(options, sip.coreHop(options, target));
            ClientTransaction ct = sip.newClientTransaction(options, keepalive.probeT1(sip.settings.t1()));
            ct.setApplicationData(PROBE);
            ct.sendRequest();
        } catch (SipException | RuntimeException e) {
            LOG.log(Level.FINE, "OPTIONS keepalive toward the IMS core not sent", e);
            observe(Evidence.PROBE_FAILED, "OPTIONS not sent: " + e.getMessage());
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("Cannot build the OPTIONS keepalive toward " + target, e);
        }
    }

    /** RFC 3261 §11.1: an OPTIONS for the next hop itself, which Max-Forwards 0 keeps from going further. */
    private Request options() throws ParseException, InvalidArgumentException {
        var from = sip.addresses.createAddress(sip.addresses.createSipURI(null, sip.settings.sipHost()));
        ((SipURI) from.getURI()).setPort(sip.settings.sipPort());
        var to = sip.addresses.createAddress((SipURI) target.clone());
        String transport = target.getTransportParam() == null ? "udp" : target.getTransportParam();
        return sip.messages.createRequest((SipURI) target.clone(), Request.OPTIONS, sip.provider.getNewCallId(),
                sip.headers.createCSeqHeader(cseq.getAndIncrement(), Request.OPTIONS),
                sip.headers.createFromHeader(from, Long.toHexString(ThreadLocalRandom.current().nextLong())),
                sip.headers.createToHeader(to, null), new ArrayList<>(List.of(sip.newVia(transport))),
                sip.headers.createMaxForwardsHeader(0));
    }

    private void observe(Evidence evidence, String what) {
        Instant now = clock.instant();
        Instant stateSince = liveness.status().since();
        Change change = liveness.on(evidence, now);
        switch (change) {
            case WENT_DOWN -> LOG.warning(() -> "IMS core " + target + " is DOWN (" + what + ", "
                    + keepalive.failuresBeforeDown() + " failures in a row): new requests from clients get 503 "
                    + "with Retry-After " + keepalive.retryAfterSeconds() + " s until it answers");
            case CAME_BACK -> {
                LOG.info(() -> "IMS core " + target + " is UP again (" + what + ") after "
                        + Duration.between(stateSince, now).toSeconds()
                        + " s; it may have lost its registrations: registered clients are asked to register again");
                comeBackOwed.set(true);
                askAgainIfOwed();
            }
            case NONE -> { }
        }
    }

    /**
     * Whether a transaction went to the core's next hop (the hop the edge chose, FlowRouter). Only within the stack's
     * call of the listener: after it the stack may drop the request and re-parse it from bytes, without the hop.
     */
    private boolean towardCore(ClientTransaction ct) {
        // null once an answered transaction let go of its request (RequestRetention): a Timer F racing the answer
        return ct.getRequest() instanceof SIPRequest request && request.getApplicationData() instanceof Hop hop
                && isCore(hop.getHost(), hop.getPort());
    }

    private boolean isCore(String host, int port) {
        return host != null && host.equalsIgnoreCase(target.getHost()) && port == targetPort;
    }
}

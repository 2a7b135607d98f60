package org.webims.gateway.sip.edge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.runtime.WorkQueueDelay;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * Overload control for the gateway's own CPU (RFC 7339 §1, RFC 3261 §21.5.4): while SIP work waits too long for a
 * thread ({@link WorkQueueDelay}), a client's request that would start something new gets 503 with Retry-After and a
 * Warning on the thread that received it, before any work is queued for it. What is already accepted goes on:
 * requests within dialogs, a request answering a digest challenge, de-registrations, a refresh of a binding that
 * would expire before the client may try again, emergency calls (refused with 380 by the B2BUA, which tells the
 * client where to go), and everything from the IMS core: a 503 with Retry-After would make the core hold back
 * every request to this node for that time (RFC 3261 §21.5.4), BYEs of calls up included. Refusing at the door
 * costs a parse and a response; the work it saves is the rest of the exchange, which is how goodput stays near the
 * peak past capacity.
 */
final class OwnOverload {
    private static final Logger LOG = Logger.getLogger(OwnOverload.class.getName());
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(10).toNanos();
    /** Out-of-dialog requests that start a session or a transaction of their own (RFC 3261, 3428, 6665, 3903). */
    private static final Set<String> NEW_WORK = Set.of(Request.INVITE, Request.MESSAGE, Request.SUBSCRIBE,
            Request.OPTIONS, Request.PUBLISH, Request.REFER);
    /** A binding refreshed within this much of its expiry is let through: it might lapse while the client waits. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(SipContext.RETRY_AFTER_SECONDS + 30L);

    private final WorkQueueDelay delay;
    private final SipContext sip;
    private final Function<Request, Optional<Flow>> flowOf;
    private final Function<Flow, List<Binding>> bindingsOf;
    private final Predicate<Request> emergency;
    private final Function<RequestEvent, ServerTransaction> transactions;
    private final Clock clock;
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong nextLog = new AtomicLong(System.nanoTime());

    OwnOverload(WorkQueueDelay delay, SipContext sip, Function<Request, Optional<Flow>> flowOf,
            Function<Flow, List<Binding>> bindingsOf, Predicate<Request> emergency,
            Function<RequestEvent, ServerTransaction> transactions, Clock clock) {
        this.delay = delay;
        this.sip = sip;
        this.flowOf = flowOf;
        this.bindingsOf = bindingsOf;
        this.emergency = emergency;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Whether the request was refused here (answered, or a retransmission its transaction answers). */
    boolean refused(RequestEvent event) {
        if (!delay.behind()) {
            return false;
        }
        Request request = event.getRequest();
        Optional<Flow> flow = flowOf.apply(request);
        if (flow.isEmpty() || !startsSomethingNew(request, () -> bindingsOf.apply(flow.get()), clock.instant())
                || emergency.test(request)) {
            return false;
        }
        ServerTransaction st = transactions.apply(event);
        if (st != null) {
            sip.respondWithWarning(st, Response.SERVICE_UNAVAILABLE, "Service Unavailable (gateway overloaded)",
                    "the gateway is overloaded, try again later"); // with Retry-After
        }
        logRefusal(request);
        return true;
    }

    /** One line per ten seconds at most, with the count since the last: no lock on the receiving threads. */
    private void logRefusal(Request request) {
        refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long next = nextLog.get();
        if (now - next >= 0 && nextLog.compareAndSet(next, now + LOG_EVERY_NANOS)) {
            long count = refusedSinceLog.getAndSet(0);
            LOG.warning(() -> "Gateway overloaded: SIP work has stood waiting over " + delay.target().toMillis()
                    + " ms for a thread (" + delay.waiting() + " waiting now; gateway.sip.max-queue-delay-ms): "
                    + count + " new requests refused with 503 and Retry-After since the last such line, the last a "
                    + request.getMethod());
        }
    }

    /**
     * Whether a client's request would start new work rather than carry on accepted work: a new session or
     * out-of-dialog request of {@link #NEW_WORK}, or a REGISTER opening an exchange for an identity that this
     * connection has no binding of, or only bindings with more than {@link #REFRESH_MARGIN} left. A request with
     * digest credentials answers a challenge of the core and carries on an exchange already under way.
     */
    static boolean startsSomethingNew(Request request, java.util.function.Supplier<List<Binding>> flowBindings,
            Instant now) {
        String method = request.getMethod();
        boolean outOfDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null;
        if (!outOfDialog || answersChallenge(request)) {
            return false;
        }
        if (NEW_WORK.contains(method)) {
            return true;
        }
        if (!Request.REGISTER.equals(method) || ClientRequests.isDeregistration(request)) {
            return false;
        }
        String aor = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
        return flowBindings.get().stream().filter(b -> b.aor().equals(aor))
                .noneMatch(b -> !b.expiresAt().isAfter(now.plus(REFRESH_MARGIN)));
    }

    /** RFC 3261 §22.2, §22.3: digest credentials with a response answer the core's 401 or 407. */
    private static boolean answersChallenge(Request request) {
        return hasDigestResponse((AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME))
                || hasDigestResponse((AuthorizationHeader) request.getHeader(ProxyAuthorizationHeader.NAME));
    }

    private static boolean hasDigestResponse(AuthorizationHeader credentials) {
        return credentials != null && "digest".equalsIgnoreCase(credentials.getScheme())
                && credentials.getResponse() != null && !credentials.getResponse().isEmpty();
    }
}

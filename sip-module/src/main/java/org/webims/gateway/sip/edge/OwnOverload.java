package org.webims.gateway.sip.edge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.runtime.WorkQueueDelay;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * Overload control for the gateway's own CPU (RFC 7339 §1, RFC 3261 §21.5.4): while SIP work waits too long for a
 * thread ({@link WorkQueueDelay}), a request that would start something new gets 503 with Retry-After and a Warning
 * on the thread that received it, before any work is queued for it. What is already accepted goes on: requests
 * within dialogs, an answer to a digest challenge, de-registrations, a refresh of a binding that would expire before
 * the client may try again, and emergency calls (refused with 380 by the B2BUA, which tells the client where to go).
 * Refusing at the door costs a parse and a response; the work it saves is the rest of the exchange, which is how
 * goodput stays near the peak past capacity.
 */
final class OwnOverload {
    private static final Logger LOG = Logger.getLogger(OwnOverload.class.getName());
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);
    /** Out-of-dialog requests that start a session or a transaction of their own (RFC 3261, 3428, 6665, 3903). */
    private static final Set<String> NEW_WORK = Set.of(Request.INVITE, Request.MESSAGE, Request.SUBSCRIBE,
            Request.OPTIONS, Request.PUBLISH, Request.REFER);
    /** A binding refreshed within this much of its expiry is let through: it might lapse while the client waits. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(SipContext.RETRY_AFTER_SECONDS + 30L);

    private final WorkQueueDelay delay;
    private final SipContext sip;
    private final Function<RequestEvent, Optional<Binding>> bindingOf;
    private final Predicate<Request> emergency;
    private final Function<RequestEvent, ServerTransaction> transactions;
    private final Clock clock;

    OwnOverload(WorkQueueDelay delay, SipContext sip, Function<RequestEvent, Optional<Binding>> bindingOf,
            Predicate<Request> emergency, Function<RequestEvent, ServerTransaction> transactions,
            Clock clock) {
        this.delay = delay;
        this.sip = sip;
        this.bindingOf = bindingOf;
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
        if (!startsSomethingNew(request, () -> bindingOf.apply(event), clock.instant())
                || emergency.test(request)) {
            return false;
        }
        ServerTransaction st = transactions.apply(event);
        if (st != null) {
            REFUSALS.warning("own overload", () -> request.getMethod() + " refused with 503: SIP work has waited over "
                    + delay.target().toMillis() + " ms for a thread (" + delay.waiting()
                    + " waiting; gateway.sip.max-queue-delay-ms)");
            sip.respondWithWarning(st, Response.SERVICE_UNAVAILABLE, "Service Unavailable (gateway overloaded)",
                    "the gateway is overloaded, try again later"); // with Retry-After
        }
        return true;
    }

    /**
     * Whether a request would start new work rather than carry on accepted work: a new session or out-of-dialog
     * request, or a REGISTER that opens an exchange (no digest credentials yet) for a flow without a binding or with
     * one that has more than {@link #REFRESH_MARGIN} left.
     */
    static boolean startsSomethingNew(Request request, java.util.function.Supplier<Optional<Binding>> binding,
            Instant now) {
        String method = request.getMethod();
        boolean outOfDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null;
        if (NEW_WORK.contains(method)) {
            return outOfDialog;
        }
        if (!Request.REGISTER.equals(method) || answersChallenge(request)
                || ClientRequests.isDeregistration(request)) {
            return false;
        }
        return binding.get().map(b -> b.expiresAt().isAfter(now.plus(REFRESH_MARGIN))).orElse(true);
    }

    /** RFC 3261 §22.2: a REGISTER with Digest credentials answers the core's challenge; that exchange is under way. */
    private static boolean answersChallenge(Request request) {
        AuthorizationHeader authorization = (AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME);
        return authorization != null && "digest".equalsIgnoreCase(authorization.getScheme())
                && authorization.getResponse() != null && !authorization.getResponse().isEmpty();
    }
}

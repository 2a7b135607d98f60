package org.webims.gateway.sip.edge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Logger;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;
import java.util.function.Consumer;
import java.util.logging.Level;
import javax.sip.InvalidArgumentException;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.logging.PeriodicCountLog;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.runtime.WorkQueueDelay;
import org.webims.gateway.sip.signalling.SipContext;
import org.webims.gateway.sip.transport.DoorKeeper;
import org.webims.gateway.sip.transport.RequestHead;

/**
 * Overload control for the gateway's own CPU (RFC 7339 §1, RFC 3261 §21.5.4): while SIP work waits too long for a
 * thread ({@link WorkQueueDelay}), a client's request that would start something new gets 503 with Retry-After and a
 * Warning at the door ({@link DoorKeeper}): on the thread that received it, statelessly (RFC 3261 §8.2.7; over a
 * WebSocket nothing is retransmitted, and the INVITE's ACK of the 503 is known by its To tag and dropped here too),
 * before any transaction or work exists for it. What is already accepted goes on: requests within dialogs, a
 * request answering a digest challenge, de-registrations, a refresh of a binding that would expire before the client
 * may try again, emergency calls (refused with 380 by the B2BUA, which tells the client where to go), and everything
 * from the IMS core, which never passes this door: a 503 with Retry-After would make the core hold back every request
 * to this node for that time (RFC 3261 §21.5.4), BYEs of calls up included. Refusing must cost much less than the
 * work it saves, or goodput falls past capacity: what the raw head shows to be new work (all of it but INVITE) is
 * refused before the parse ({@link RequestHead}), the rest by a stateless answer after it.
 *
 * <p>The same door refuses a client's new call (an out-of-dialog INVITE, not an emergency call) while the media
 * gateway is saturated ({@code MediaGateway.saturated()}): 503 with Retry-After and the Warning "media gateway
 * saturated", as call admission would answer it, but without the server transaction, the hand-off to a worker and the
 * transaction's wait for the ACK that call admission's refusal costs (issue 14: past capacity the refusals of
 * rtpengine's excess took CPU from the calls it carried). Call admission keeps its own check for the INVITEs that do
 * not pass this door (from the core) and for a saturation that begins after the door. Unlike the refusal
 * while the gateway is behind, this one takes an INVITE with digest credentials too, as call admission does.
 */
public final class OwnOverload implements DoorKeeper {
    private static final Logger LOG = Logger.getLogger(OwnOverload.class.getName());
    private static final Duration LOG_EVERY = Duration.ofSeconds(10);
    /** Out-of-dialog requests that start a session or a transaction of their own (RFC 3261, 3428, 6665, 3903). */
    private static final Set<String> NEW_WORK = Set.of(Request.INVITE, Request.MESSAGE, Request.SUBSCRIBE,
            Request.OPTIONS, Request.PUBLISH, Request.REFER);
    /** A binding refreshed within this much of its expiry is let through: it might lapse while the client waits. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(SipContext.RETRY_AFTER_SECONDS + 30L);
    /** The To tag of every 503 sent here (RFC 3261 §8.2.6.2), so that its ACK is recognised at the door. */
    static final String TAG_PREFIX = "overload-";
    private static final String OVERLOADED = "Service Unavailable (gateway overloaded)";
    private static final String OVERLOADED_WARNING = "the gateway is overloaded, try again later";

    private final WorkQueueDelay delay;
    private final WorkQueueDelay received;
    private final SipContext sip;
    private final Function<Flow, List<Binding>> bindingsOf;
    private final Predicate<Request> emergency;
    private final Clock clock;
    private final BooleanSupplier mediaSaturated;
    /** The Warning and Retry-After of a refusal from the raw head, encoded once by the header factory. */
    private final List<String> rawRefusalHeaders;
    private final PeriodicCountLog behindRefusals = new PeriodicCountLog(LOG, LOG_EVERY);
    private final PeriodicCountLog mediaRefusals = new PeriodicCountLog(LOG, LOG_EVERY);

    /**
     * @param delay          how long SIP work waits for a worker
     * @param received       how long datagrams received from the IMS core wait for the SIP stack's threads (the
     *                       core's answers to the work the door lets in)
     * @param mediaSaturated whether the media gateway refuses new sessions now (always false when media passes through)
     */
    public OwnOverload(WorkQueueDelay delay, WorkQueueDelay received, SipContext sip,
            Function<Flow, List<Binding>> bindingsOf, Predicate<Request> emergency, BooleanSupplier mediaSaturated,
            Clock clock) {
        this.delay = delay;
        this.received = received;
        this.mediaSaturated = mediaSaturated;
        this.sip = sip;
        this.bindingsOf = bindingsOf;
        this.emergency = emergency;
        this.clock = clock;
        try {
            this.rawRefusalHeaders = List.of(headerLine(sip.headers.createWarningHeader(sip.settings.sipHost(), 399,
                    OVERLOADED_WARNING)), // RFC 3261 §20.43
                    headerLine(sip.headers.createRetryAfterHeader(SipContext.RETRY_AFTER_SECONDS)));
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("the overload refusal's headers from our own settings", e);
        }
    }

    private static String headerLine(javax.sip.header.Header header) {
        return header.toString().strip();
    }

    @Override
    public boolean dealtWith(SIPRequest request, Flow flow, Consumer<SIPResponse> answer) {
        if (Request.ACK.equals(request.getMethod())) {
            String toTag = request.getToTag();
            return toTag != null && toTag.startsWith(TAG_PREFIX); // RFC 3261 §17.1.1.3: the ACK of our 503
        }
        if (newCallWithoutMedia(request)) {
            // as call admission answers it (MediaRefusal.SATURATED): one refusal, whichever place sends it
            refuse(request, answer, "Service Unavailable", "media gateway saturated");
            mediaRefusals.record(count -> "Media gateway saturated: " + count + " new calls refused at the door with"
                    + " 503 and Retry-After since the last such line, the last over " + flow.describe());
            return true;
        }
        boolean workBehind = delay.behind();
        if (!(workBehind || received.behind())
                || !startsSomethingNew(request, () -> bindingsOf.apply(flow), clock.instant())
                || emergency.test(request)) {
            return false;
        }
        refuse(request, answer, OVERLOADED, OVERLOADED_WARNING);
        logRefusal(request.getMethod(), workBehind);
        return true;
    }

    @Override
    public boolean refusing() {
        return delay.behind() || received.behind();
    }

    /**
     * The same refusal while the gateway is behind, decided from the raw head before the parse, for what the head
     * alone shows to be new work: a request of {@link #NEW_WORK} but INVITE (an emergency call and the media
     * gateway's state are the parsed door's), or a REGISTER that is surely no de-registration, on a connection
     * whose bindings all outlive {@link #REFRESH_MARGIN}. Anything in doubt goes on to the parse and
     * {@link #dealtWith(SIPRequest, Flow, Consumer)}, which decides it as before; so does a malformed request that
     * the parse would answer 400 while the gateway keeps up (while it is behind, this door may answer it 503).
     */
    @Override
    public boolean dealtWith(RequestHead head, Flow flow, Consumer<String> answer) {
        String method = head.method();
        if (Request.INVITE.equals(method) || head.mayBeInDialog() || head.mayAnswerChallenge()) {
            return false;
        }
        boolean register = Request.REGISTER.equals(method);
        if (!NEW_WORK.contains(method) && !(register && head.surelyNotDeregistration())) {
            return false;
        }
        boolean workBehind = delay.behind();
        if (!(workBehind || received.behind())
                || register && !allOutliveTheWait(bindingsOf.apply(flow), clock.instant())) {
            return false;
        }
        answer.accept(head.response(Response.SERVICE_UNAVAILABLE, OVERLOADED, refusalTag(), rawRefusalHeaders));
        logRefusal(method, workBehind);
        return true;
    }

    private static boolean allOutliveTheWait(List<Binding> bindings, Instant now) {
        return bindings.stream().allMatch(b -> b.expiresAt().isAfter(now.plus(REFRESH_MARGIN)));
    }

    /** A client's new call while rtpengine takes no new session (RFC 7339 §1); an emergency call is the B2BUA's. */
    private boolean newCallWithoutMedia(SIPRequest request) {
        return Request.INVITE.equals(request.getMethod()) && request.getToTag() == null
                && mediaSaturated.getAsBoolean() && !emergency.test(request);
    }

    private void refuse(SIPRequest request, Consumer<SIPResponse> answer, String reason, String warning) {
        try {
            answer.accept(refusal(request, reason, warning));
        } catch (ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not refuse " + request.getMethod() + " at the door", e);
        }
    }

    private SIPResponse refusal(SIPRequest request, String reason, String warning)
            throws ParseException, InvalidArgumentException {
        SIPResponse response = request.createResponse(Response.SERVICE_UNAVAILABLE, reason);
        response.getTo().setTag(refusalTag());
        response.addHeader(sip.headers.createWarningHeader(sip.settings.sipHost(), 399, warning));
        response.addHeader(sip.headers.createRetryAfterHeader(SipContext.RETRY_AFTER_SECONDS));
        return response;
    }

    /** RFC 3261 §19.3: random; no dialog ever forms on it. */
    private static String refusalTag() {
        return TAG_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /** One line per ten seconds at most, with the count since the last: no lock on the receiving threads. */
    private void logRefusal(String method, boolean workBehind) {
        WorkQueueDelay behind = workBehind ? delay : received;
        String what = workBehind ? "SIP work has stood waiting" : "datagrams from the IMS core have stood waiting";
        String forWhat = workBehind ? "for a thread" : "for the SIP stack's threads";
        // the line is built only when it is written (at this refusal): nothing per refusal besides the count
        behindRefusals.record(count -> "Gateway overloaded: " + what + " over "
                + behind.target().toMillis() + " ms " + forWhat + " (gateway.sip.max-queue-delay-ms): " + count
                + " new requests refused with 503 and Retry-After since the last such line, the last a "
                + method + " (" + behind.evidence() + ")");
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

package org.webims.gateway.sip.edge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
 * work it saves, or goodput falls past capacity: a stateless answer after the parse is the least that can be done
 * with a message still read in full.
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

    private final WorkQueueDelay delay;
    private final WorkQueueDelay received;
    private final SipContext sip;
    private final Function<Flow, List<Binding>> bindingsOf;
    private final Predicate<Request> emergency;
    private final Clock clock;
    private final BooleanSupplier mediaSaturated;
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
        refuse(request, answer, "Service Unavailable (gateway overloaded)",
                "the gateway is overloaded, try again later");
        logRefusal(request, workBehind ? delay : received,
                workBehind ? "SIP work has stood waiting" : "datagrams from the IMS core have stood waiting",
                workBehind ? "for a thread" : "for the SIP stack's threads");
        return true;
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
        // RFC 3261 §19.3: random; no dialog ever forms on it
        response.getTo().setTag(TAG_PREFIX + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current()
                .nextLong()));
        response.addHeader(sip.headers.createWarningHeader(sip.settings.sipHost(), 399, warning));
        response.addHeader(sip.headers.createRetryAfterHeader(SipContext.RETRY_AFTER_SECONDS));
        return response;
    }

    /** One line per ten seconds at most, with the count since the last: no lock on the receiving threads. */
    private void logRefusal(Request request, WorkQueueDelay behind, String what, String forWhat) {
        // the line is built only when it is written (at this refusal): nothing per refusal besides the count
        behindRefusals.record(count -> "Gateway overloaded: " + what + " over "
                + behind.target().toMillis() + " ms " + forWhat + " (gateway.sip.max-queue-delay-ms): " + count
                + " new requests refused with 503 and Retry-After since the last such line, the last a "
                + request.getMethod() + " (" + behind.evidence() + ")");
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

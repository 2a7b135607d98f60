package org.webims.gateway.sip.b2bua;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.ports.policy.AllowedDestinations;
import org.webims.gateway.ports.policy.CallPolicy;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.Source;
import org.webims.gateway.ports.policy.DialPlan;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.PolicySubject;
import org.webims.gateway.sip.admission.CallCounts;
import org.webims.gateway.sip.admission.SessionAdmission;
import org.webims.gateway.sip.admission.Verdict;
import org.webims.gateway.sip.flow.ClientSubject;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.media.MediaGateway;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * Whether a session may be set up (TS 22.228 §11.2, TS 24.229 §5.2.7). First the rules that need nothing but the
 * request, in order: emergency (380), a literal target, a registration, an SDP offer the gateway can serve, the
 * calls per connection; then, asynchronously, the policy of the subscriber ({@link SessionAdmission}) and the
 * simultaneous-call counts. The policy is never awaited on a SIP thread: its verdict continues on the call's queue.
 */
final class CallAdmission {
    private static final Logger LOG = Logger.getLogger(CallAdmission.class.getName());
    /** Refusals a client can repeat at will: per cause at a bounded rate (issue 9, finding 14). */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);
    private final MediaGateway media;

    private final SipContext sip;
    private final RegistrationStore registrations;
    private final OfferGate offers;
    private final CallRegistry calls;
    private final CallCounts counts;
    private final CallPolicy policy;
    private final DialPlan dialPlan;
    private final KeyedSerialExecutor work;
    private final EmergencyRefusal emergency;
    private final Teardown teardown;
    private final CallEvents events;

    CallAdmission(SipContext sip, RegistrationStore registrations, OfferGate offers, CallRegistry calls,
            CallCounts counts, CallPolicy policy, DialPlan dialPlan, KeyedSerialExecutor work,
            EmergencyRefusal emergency, Teardown teardown, CallEvents events, MediaGateway media) {
        this.media = media;
        this.teardown = teardown;
        this.events = events;
        this.sip = sip;
        this.registrations = registrations;
        this.offers = offers;
        this.calls = calls;
        this.counts = counts;
        this.policy = policy;
        this.dialPlan = dialPlan;
        this.work = work;
        this.emergency = emergency;
    }

    /**
     * The rules of an originating INVITE that need only the request: the caller's binding when they pass, empty
     * once the request is answered.
     */
    Optional<Binding> originating(ServerTransaction st, Request invite, Flow flow, String offer) {
        String target = invite.getRequestURI().toString();
        if (emergency.isEmergency(invite)) {
            emergency.refuse(st, flow, target);
            return Optional.empty();
        }
        if (sip.refusedTarget(st, invite)) {
            return Optional.empty();
        }
        if (overloaded(st, "an INVITE over " + flow.describe())) {
            return Optional.empty();
        }
        Optional<Binding> binding = registrations.forFlow(flow.id());
        if (binding.isEmpty()) {
            sip.respondWithWarning(st, Response.FORBIDDEN, "Forbidden (not registered)", "register before calling");
            return Optional.empty();
        }
        if (offer == null) {
            sip.respondWithWarning(st, Response.NOT_ACCEPTABLE_HERE, null, "an SDP offer is required");
            return Optional.empty();
        }
        if (unservable(st, offer, "an INVITE over " + flow.describe())) {
            return Optional.empty();
        }
        int limit = sip.settings.maxCallsPerFlow();
        if (calls.placedOver(flow.id()) >= limit) {
            REFUSALS.info("too many calls", () -> "INVITE over " + flow.describe() + " refused: already " + limit
                    + " calls");
            sip.respondWithWarning(st, Response.FORBIDDEN, "Forbidden (too many calls)",
                    "at most " + limit + " simultaneous calls per connection");
            return Optional.empty();
        }
        return binding;
    }

    /**
     * A new call whose charging records could not be kept (a backlog toward the CDF), or for which no OCS has room
     * (online charging saturated), is refused at once with 503 and Retry-After (RFC 3261 §21.5.4), before anything is
     * set up: overload is refused early, never paid for with a lost record or a released call.
     */
    boolean backlogged(ServerTransaction st, String what) {
        return refused(st, what, events.refusesNewCalls());
    }

    /** As {@link #backlogged} for an event that is recorded but not debited: only a backlog of records refuses it. */
    boolean recordsBacklogged(ServerTransaction st, String what) {
        return refused(st, what, events.refusesNewRecords());
    }

    private boolean refused(ServerTransaction st, String what, Optional<String> reason) {
        reason.ifPresent(r -> {
            // per cause (a backlog, the OCS saturated), not per text: the text carries a live count
            REFUSALS.warning(r.split(" \\(", 2)[0], () -> what + " refused: " + r);
            sip.respondWithWarning(st, Response.SERVICE_UNAVAILABLE, null, r); // with Retry-After
        });
        return reason.isPresent();
    }

    /**
     * Overload control (RFC 7339 §1: refuse new work early, keep the accepted): a new call is refused with 503 and
     * Retry-After before anything is reserved for it while charging cannot keep records or the media gateway has more
     * waiting than it can take; calls in progress are not affected.
     */
    boolean overloaded(ServerTransaction st, String what) {
        if (backlogged(st, what)) {
            return true;
        }
        if (!media.saturated()) {
            return false;
        }
        REFUSALS.warning("media gateway saturated", () -> what + " refused: the media gateway is saturated");
        MediaRefusal.SATURATED.answer(sip, st);
        return true;
    }

    /**
     * Whether the gateway may give a media session to an announcement of a call it refuses anyway (the emergency 380):
     * only for an offer that passes {@link OfferGate} and while neither charging nor the media gateway is overloaded.
     * Answers nothing: the refusal itself goes as always.
     */
    boolean mayAnnounce(String offer, String what) {
        return offer != null && offers.refusal(offer, what).isEmpty() && events.refusesNewCalls().isEmpty()
                && !media.saturated();
    }

    /** RFC 3261 §21.4.26: an offer the gateway cannot serve gets 488 with a Warning; rtpengine is never asked. */
    boolean unservable(ServerTransaction st, String offer, String what) {
        Optional<MediaRefusal> refusal = offer == null ? Optional.empty() : offers.refusal(offer, what);
        refusal.ifPresent(r -> r.answer(sip, st));
        return refusal.isPresent();
    }

    /** Who asks, for the policy: the subscriber, the client's Origin and address (its provider and access network). */
    PolicySubject subject(String impu, Flow flow) {
        return ClientSubject.of(impu, flow);
    }

    /** TS 24.371 scenario 3: a guest may call only the destinations its token names; null for anyone else. */
    static AllowedDestinations guestsOnly(Flow flow) {
        return flow.authorised().filter(Flow.TokenIdentity::guest)
                .map(guest -> new AllowedDestinations(guest.destinations(),
                        new Source(Layer.PROVIDER, guest.provider() + " for guests")))
                .orElse(null);
    }

    /** The destination of an originating call, normalised by the operator's dial plan. */
    DialPlan.Destination destination(Request invite) {
        return dialPlan.destination(invite.getRequestURI().toString());
    }

    /**
     * Asks the policy, then decides on the call's queue; {@code then} runs there with the verdict unless the call
     * ended meanwhile (a CANCEL). An admitted call holds its policy and its reservation of the call counts.
     */
    void decide(Call call, PolicySubject subject, DialPlan.Destination destination, Set<String> offered,
            boolean clientVideo, AllowedDestinations guestsOnly, Consumer<Verdict> then) {
        asked(subject).whenComplete((effective, error) -> work.execute(call.key, () -> {
            if (!call.isLive()) {
                return;
            }
            try {
                if (error != null) {
                    LOG.log(Level.WARNING, "No policy for " + call + ": refused", error);
                    then.accept(new Verdict.Refuse(Response.SERVER_INTERNAL_ERROR, null, "policy unavailable"));
                    return;
                }
                Verdict verdict = verdict(call, guestsOnly == null ? effective : effective.withAllowed(guestsOnly),
                        destination, offered, clientVideo);
                if (verdict instanceof Verdict.Refuse refusal) {
                    REFUSALS.info(refusal.warning(), () -> call + " refused: " + refusal.warning());
                }
                then.accept(verdict);
            } catch (RuntimeException e) {
                // never a call left with only its 100 Trying: it fails with 500 and ends (its reservation too)
                LOG.log(Level.SEVERE, "Failed to continue " + call + " after admission", e);
                if (call.isLive()) {
                    teardown.fail(call, MediaRefusal.INTERNAL);
                }
            }
        }));
    }

    /** The policy's stage; one that throws instead of failing counts as failed. */
    private CompletionStage<EffectivePolicy> asked(PolicySubject subject) {
        try {
            return policy.policyFor(subject);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Verdict verdict(Call call, EffectivePolicy effective, DialPlan.Destination destination,
            Set<String> offered, boolean clientVideo) {
        Verdict verdict = SessionAdmission.decide(effective, destination, offered, clientVideo);
        if (!(verdict instanceof Verdict.Admit admit)) {
            return verdict;
        }
        CallCounts.Result reserved = counts.reserve(call.subscriber, effective.maxCalls(), effective.provider(),
                effective.providerMaxCalls());
        if (reserved.reservation() == null) {
            return new Verdict.Refuse(Response.FORBIDDEN, "Forbidden (too many calls)", reserved.refusal());
        }
        call.admitted(effective, admit.declined(), reserved.reservation());
        if (!admit.declined().isEmpty()) {
            LOG.info(() -> call + ": " + String.join(", ", call.declinedKinds()) + " declined ("
                    + admit.declined().values().iterator().next().describe() + ")");
        }
        return verdict;
    }
}

package org.webims.gateway.sip.edge;

import java.time.Instant;
import java.text.ParseException;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.MessageFacts;
import org.webims.gateway.ports.charging.CreditControl;
import org.webims.gateway.ports.charging.CreditDecision;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;
import org.webims.gateway.sip.signalling.ChargingVector;
import org.webims.gateway.sip.signalling.SipContext;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderAddress;
import javax.sip.header.RouteHeader;
import javax.sip.header.SupportedHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.ports.policy.Impus;
import org.webims.gateway.sip.b2bua.AssertedFrom;
import org.webims.gateway.sip.b2bua.B2bua;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.registration.CoreBindings;
import org.webims.gateway.sip.registration.RegistrationStore;

/**
 * Requests from WebRTC IMS clients, on their WebSocket flows, toward the IMS core: the P-CSCF's procedures of
 * TS 24.229 §5.2.2 (REGISTER) and §5.2.6.3 (originating requests outside a dialog).
 */
final class ClientRequests {
    private static final Logger LOG = Logger.getLogger(ClientRequests.class.getName());
    /** One short line per cause at a bounded rate: a client's requests can repeat a failure at will (finding 14). */
    private static final RateLimitedLog FAILURES = RateLimitedLog.of(LOG);
    static final String P_ASSERTED_IDENTITY = "P-Asserted-Identity";
    static final String P_PREFERRED_IDENTITY = "P-Preferred-Identity";
    static final String PATH = "Path";

    private final SipContext sip;
    private final Forwarding forwarding;
    private final RegistrationStore registrations;

    private final B2bua b2bua;
    private final RegisterThrottle throttle;

    private final CoreBindings coreBindings;
    private final ClientPolicy policy;
    private final BearerRegistration bearer;
    private final org.webims.gateway.ports.policy.DialPlan dialPlan;
    private final CreditControl credit;
    private final KeyedSerialExecutor work;

    ClientRequests(SipContext sip, RegistrationStore registrations, CoreBindings coreBindings, B2bua b2bua,
            RegisterThrottle throttle, ClientPolicy policy, BearerRegistration bearer,
            org.webims.gateway.ports.policy.DialPlan dialPlan, CreditControl credit, KeyedSerialExecutor work) {
        this.credit = credit;
        this.work = work;
        this.policy = policy;
        this.dialPlan = dialPlan;
        this.bearer = bearer;
        this.sip = sip;
        this.forwarding = new Forwarding(sip);
        this.coreBindings = coreBindings;
        this.registrations = registrations;
        this.b2bua = b2bua;
        this.throttle = throttle;
    }

    void handle(ServerTransaction st, Request request, Flow flow)
            throws ParseException, InvalidArgumentException, SipException {
        if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
            sip.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null); // RFC 3261 §12.2.2
            return;
        }
        switch (request.getMethod()) {
            case Request.REGISTER -> register(st, request, flow);
            case Request.INVITE -> b2bua.originate(st, request, flow);
            case Request.MESSAGE, Request.OPTIONS -> {
                if (!sip.refusedTarget(st, request)) {
                    originate(st, request, flow);
                }
            }
            default -> sip.respondWithWarning(st, Response.NOT_IMPLEMENTED, null,
                    request.getMethod() + " from WebRTC clients is not supported");
        }
    }

    /**
     * TS 24.229 §5.2.2.1, RFC 5626 §5.1, RFC 3327: the REGISTER goes to the core with our Path naming the flow, and
     * its challenge and the client's credentials pass through untouched (TS 24.371 §6.1 scenario 1).
     */
    private void register(ServerTransaction st, Request request, Flow flow)
            throws ParseException, InvalidArgumentException {
        if (throttle.refuses(st, request, flow)) {
            return;
        }
        String impu = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
        // the identity this REGISTER is vouched for, decided here once: a token REGISTER of another transaction on the
        // same flow, handled while this one waits for the policy, cannot lend it trusted node authentication
        Optional<Flow.TokenIdentity> vouched;
        Optional<String> token = BearerRegistration.bearer(request);
        if (token.isPresent() && flow.authorisedBy(token.get())) {
            vouched = flow.authorised(); // the token that bound the flow, sent again with a refresh
            if (!Impus.normalise(impu).equals(Impus.normalise(vouched.get().impu()))) {
                bearer.refuseOtherIdentity(st, flow);
                return;
            }
        } else if (token.isPresent()) {
            vouched = bearer.admit(st, request, flow, token.get());
            if (vouched.isEmpty()) {
                return; // refused: nothing reaches the core
            }
        } else {
            vouched = flow.authorised();
            if (vouched.isPresent() && !Impus.normalise(impu).equals(Impus.normalise(vouched.get().impu()))) {
                bearer.refuseOtherIdentity(st, flow);
                return;
            }
        }
        if (isDeregistration(request)) {
            flow.registerSent();
            forwardRegister(st, request, flow, vouched); // never refused: a client may always leave
            return;
        }
        flow.mediaFeatures(takesVideo(request));
        policy.register(st, callIdOf(request), impu, flow, () -> continueWith(st, request.getMethod(),
                () -> forwardRegister(st, request, flow, vouched)));
    }

    /** A REGISTER counted as sent ({@link Flow#registerSent}) is counted done unless it really left for the core. */
    private void forwardRegister(ServerTransaction st, Request request, Flow flow,
            Optional<Flow.TokenIdentity> vouched) throws ParseException, InvalidArgumentException {
        boolean sent = false;
        try {
            sent = sendRegister(st, request, flow, vouched);
        } finally {
            if (!sent) {
                flow.registerDone();
            }
        }
    }

    private boolean sendRegister(ServerTransaction st, Request request, Flow flow,
            Optional<Flow.TokenIdentity> vouched) throws ParseException, InvalidArgumentException {
        if (!admittedAtCore(st, request)) {
            return false;
        }
        Request forwarded = forwarding.forwardCopy(request, st);
        if (forwarded == null) {
            return false;
        }
        TrustBoundary.fromClient(forwarded);
        ChargingVector.setNew(forwarded, sip); // TS 24.229 §5.2.2.1
        if (vouched.isPresent()) {
            BearerRegistration.vouch(sip, forwarded, vouched.get().impi()); // refreshes too: no new token needed
        }
        forwarded.removeHeader(RouteHeader.NAME);
        // RFC 3327 §5: a typed header, not the address encoded and parsed again (issue 14: a REGISTER's allocation)
        forwarded.addHeader(sip.headers.createPathHeader(
                forwarding.pathFor(flow, usesOutbound(request))));
        ensureSupported(forwarded, "path");
        ensureSupported(forwarded, "outbound");
        return sendToCore(st, forwarded, flow);
    }

    /**
     * Refuses a REGISTER that would give its AoR more bindings at the core than {@link CoreBindings} allows: stale
     * ones of closed connections stay there until they expire, and enough of them lock the subscriber out.
     */
    private boolean admittedAtCore(ServerTransaction st, Request request) {
        String aor = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
        List<String> contacts = new java.util.ArrayList<>();
        for (var it = request.getHeaders(ContactHeader.NAME); it.hasNext();) {
            ContactHeader contact = (ContactHeader) it.next();
            if (!contact.getAddress().isWildcard() && contact.getExpires() != 0) {
                contacts.add(contact.getAddress().getURI().toString());
            }
        }
        var expires = (javax.sip.header.ExpiresHeader) request.getHeader(javax.sip.header.ExpiresHeader.NAME);
        if (contacts.isEmpty() || expires != null && expires.getExpires() == 0 || coreBindings.admits(aor, contacts)) {
            return true;
        }
        LOG.warning(() -> "REGISTER of " + aor + " refused: " + coreBindings.maxPerAor()
                + " bindings already held at the IMS core");
        sip.respondWithWarning(st, Response.FORBIDDEN, "Forbidden (too many registrations)", "at most "
                + coreBindings.maxPerAor() + " registrations of this identity at once; older ones expire at the core");
        return false;
    }

    /** TS 24.229 §5.2.6.3: requests of a registered client, with its asserted identity and its Service-Route. */
    private void originate(ServerTransaction st, Request request, Flow flow)
            throws ParseException, InvalidArgumentException {
        Optional<Binding> binding = registrations.forFlow(flow.id());
        if (binding.isEmpty()) {
            sip.respondWithWarning(st, Response.FORBIDDEN, "Forbidden (not registered)",
                    "register before sending " + request.getMethod());
            return;
        }
        if (flow.isGuest() && !guestMayReach(flow, request)) {
            // TS 24.371 scenario 3: a guest reaches only its provider's numbers, whatever the method
            sip.respondWithWarning(st, Response.FORBIDDEN, null, "destination not allowed by provider "
                    + flow.authorised().get().provider() + " for guests");
            return;
        }
        if (Request.MESSAGE.equals(request.getMethod())) {
            if (b2bua.chargingBacklogged(st, "a MESSAGE over " + flow.describe())) {
                return;
            }
            policy.message(st, callIdOf(request), binding.get().defaultIdentity(), flow, () -> continueWith(st,
                    request.getMethod(), () -> forwardOriginating(st, request, flow, binding.get())));
            return;
        }
        forwardOriginating(st, request, flow, binding.get());
    }

    private void forwardOriginating(ServerTransaction st, Request request, Flow flow, Binding binding)
            throws ParseException, InvalidArgumentException {
        Request forwarded = forwarding.forwardCopy(request, st);
        if (forwarded == null) {
            return;
        }
        String identity = assertedIdentity(request, binding);
        TrustBoundary.fromClient(forwarded);
        String icid = ChargingVector.setNew(forwarded, sip); // TS 24.229 §5.2.6.3
        BearerRegistration.stripBearer(forwarded);
        if (flow.isGuest()) {
            forwarded.setHeader(sip.headers.createHeader("Privacy", "id")); // RFC 3325 §9.3: an anonymous guest
        }
        AssertedFrom.apply(forwarded, sip.addresses, identity);
        forwarded.addHeader(sip.headers.createHeader(P_ASSERTED_IDENTITY, "<" + identity + ">"));
        forwarded.removeHeader(RouteHeader.NAME);
        List<String> serviceRoute = binding.serviceRoute();
        if (serviceRoute.isEmpty()) {
            forwarded.addHeader(sip.headers.createRouteHeader(sip.coreEntryRoute()));
        } else {
            for (String route : serviceRoute) {
                forwarded.addHeader(sip.headers.createHeader(RouteHeader.NAME, route)); // appended: keeps their order
            }
        }
        if (!Request.MESSAGE.equals(request.getMethod())) {
            sendToCore(st, forwarded, flow);
            return;
        }
        MessageFacts message = new MessageFacts(CallDirection.ORIGINATING, identity,
                request.getRequestURI().toString(), flow.provider(), icid, Instant.now(), null, 0);
        // TS 32.260 §5.3 immediate event charging: debited before it is relayed, the relay waits on no thread
        credit.debit(message).whenComplete((decision, error) -> work.execute(callIdOf(request), () -> {
            if (error != null || decision instanceof CreditDecision.Refused) {
                CreditDecision.Refused refused = decision instanceof CreditDecision.Refused r ? r
                        : new CreditDecision.Refused(Response.SERVICE_UNAVAILABLE, "online charging failed");
                LOG.info(() -> "MESSAGE of " + identity + " refused by online charging: " + refused.status() + " "
                        + refused.warning());
                sip.respondWithWarning(st, refused.status(), null, refused.warning());
                return;
            }
            continueWith(st, Request.MESSAGE, () -> sendToCore(st, forwarded, flow, message));
        }));
    }

    /** True when the request left on a client transaction; false after answering 503 for an unreachable core. */
    private boolean sendToCore(ServerTransaction st, Request forwarded, Flow flow)
            throws ParseException, InvalidArgumentException {
        return sendToCore(st, forwarded, flow, null);
    }

    private boolean sendToCore(ServerTransaction st, Request forwarded, Flow flow, MessageFacts message)
            throws ParseException, InvalidArgumentException {
        RouteHeader route = (RouteHeader) forwarded.getHeader(RouteHeader.NAME);
        SipURI firstHop = route != null ? (SipURI) route.getAddress().getURI()
                : (SipURI) sip.coreEntryRoute().getURI();
        var hop = sip.coreHop(forwarded, firstHop);
        forwarded.addHeader(sip.newVia(hop.getTransport())); // JAIN-SIP puts a Via on top
        try {
            forwarding.send(forwarded, hop, new ProxiedTransaction(st, forwarded, flow, message));
            return true;
        } catch (SipException | RuntimeException e) {
            // a broken connection toward the core is the core side's failure, never the client's: 503, not 500
            FAILURES.warning("IMS core unreachable", () -> "IMS core unreachable at " + hop + " for "
                    + forwarded.getMethod() + " from " + flow.describe() + ": " + e);
            sip.respondWithWarning(st, Response.SERVICE_UNAVAILABLE, null, "IMS core unreachable");
            return false;
        }
    }

    /**
     * TS 24.229 §5.2.6.3.3: the client's preferred identity is asserted when it is one of its registered public
     * identities, otherwise its default one. Whatever the client asserted itself is never trusted.
     */
    private String assertedIdentity(Request request, Binding binding) {
        Header preferred = request.getHeader(P_PREFERRED_IDENTITY);
        if (preferred instanceof HeaderAddress address) {
            String uri = address.getAddress().getURI().toString();
            if (binding.associatedUris().contains(uri)) {
                return uri;
            }
        }
        return binding.defaultIdentity();
    }

    private boolean guestMayReach(Flow flow, Request request) {
        var destination = dialPlan.destination(request.getRequestURI().toString());
        return flow.authorised().map(g -> g.destinations().stream().anyMatch(destination::matches)).orElse(false);
    }

    /** A step after the policy answered, on the request's queue: a failure answers 500 rather than nothing. */
    private void continueWith(ServerTransaction st, String method, Step step) {
        try {
            step.run();
        } catch (ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.log(java.util.logging.Level.SEVERE, "Failed to continue a " + method, e);
            sip.respond(st, Response.SERVER_INTERNAL_ERROR, null);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws ParseException, InvalidArgumentException;
    }

    /** RFC 3261 §10.2.2: Expires 0 (header or every Contact) or a wildcard Contact removes bindings. */
    static boolean isDeregistration(Request register) {
        var expires = (javax.sip.header.ExpiresHeader) register.getHeader(javax.sip.header.ExpiresHeader.NAME);
        boolean any = false;
        for (var it = register.getHeaders(ContactHeader.NAME); it.hasNext();) {
            ContactHeader contact = (ContactHeader) it.next();
            if (contact.getAddress().isWildcard()) {
                return true;
            }
            int own = contact.getExpires();
            if (own != 0 && !(own < 0 && expires != null && expires.getExpires() == 0)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** RFC 3840 §9: the client takes video when its Contact carries the {@code video} feature tag. */
    private static boolean takesVideo(Request register) {
        ContactHeader contact = (ContactHeader) register.getHeader(ContactHeader.NAME);
        return contact != null && contact.getParameter("video") != null;
    }

    private static String callIdOf(Request request) {
        return ((javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }

    /** RFC 5626 §5.1: the edge proxy marks its Path with {@code ob} when the client registers a flow. */
    private static boolean usesOutbound(Request register) {
        ContactHeader contact = (ContactHeader) register.getHeader(ContactHeader.NAME);
        return contact != null && contact.getParameter("reg-id") != null
                && contact.getParameter("+sip.instance") != null;
    }

    private void ensureSupported(Request request, String optionTag) throws ParseException {
        var it = request.getHeaders(SupportedHeader.NAME);
        while (it.hasNext()) {
            if (optionTag.equalsIgnoreCase(((SupportedHeader) it.next()).getOptionTag())) {
                return;
            }
        }
        request.addHeader(sip.headers.createSupportedHeader(optionTag));
    }
}

package org.webims.gateway.sip.edge;

import java.time.Instant;
import java.text.ParseException;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.MessageFacts;
import org.webims.gateway.sip.signalling.ChargingVector;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.signalling.SipContext;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.b2bua.B2bua;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.flow.FlowId;
import org.webims.gateway.sip.flow.FlowTable;

/**
 * Requests from the IMS core toward WebRTC IMS clients. They come back along our Path (RFC 3327), so their first
 * Route carries the flow token; the flow, not the Request-URI's {@code .invalid} host, decides where they go
 * (RFC 5626 §5.3, TS 24.229 §5.2.6.4).
 */
final class CoreRequests {
    private static final Logger LOG = Logger.getLogger(CoreRequests.class.getName());
    /** RFC 5626 §11.5. */
    static final int FLOW_FAILED = 430;

    private final SipContext sip;
    private final Forwarding forwarding;
    private final FlowTable flows;

    private final B2bua b2bua;

    private final RegistrationStore registrations;
    private final ClientPolicy policy;

    CoreRequests(SipContext sip, FlowTable flows, B2bua b2bua, RegistrationStore registrations, ClientPolicy policy) {
        this.registrations = registrations;
        this.policy = policy;
        this.sip = sip;
        this.forwarding = new Forwarding(sip);
        this.flows = flows;
        this.b2bua = b2bua;
    }

    private static String callIdOf(Request request) {
        return ((javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }

    void handle(ServerTransaction st, Request request)
            throws ParseException, InvalidArgumentException, SipException {
        if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
            sip.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null); // RFC 3261 §12.2.2
            return;
        }
        RouteHeader route = (RouteHeader) request.getHeader(RouteHeader.NAME);
        String token = route != null && sip.isOurs(route.getAddress().getURI())
                ? ((SipURI) route.getAddress().getURI()).getUser() : null;
        if (token == null) {
            if (Request.OPTIONS.equals(request.getMethod())) {
                sip.respond(st, Response.OK, null); // a capability query or keepalive addressed to the gateway itself
            } else {
                sip.respondWithWarning(st, Response.NOT_FOUND, null, "no flow token: not routed through our Path");
            }
            return;
        }
        Optional<FlowId> flowId = sip.tokens.decode(token);
        if (flowId.isEmpty()) {
            // RFC 5626 §5.3: a token that fails its integrity check is rejected with 403.
            sip.respondWithWarning(st, Response.FORBIDDEN, "Forbidden (invalid flow token)", "invalid flow token");
            return;
        }
        Optional<Flow> flow = flows.get(flowId.get());
        if (flow.isEmpty()) {
            sip.respond(st, FLOW_FAILED, "Flow Failed");
            return;
        }
        if (Request.INVITE.equals(request.getMethod())) {
            b2bua.terminate(st, request, flow.get());
            return;
        }
        if (!Request.MESSAGE.equals(request.getMethod()) && !Request.OPTIONS.equals(request.getMethod())) {
            sip.respondWithWarning(st, Response.NOT_IMPLEMENTED, null,
                    request.getMethod() + " toward WebRTC clients is not supported");
            return;
        }
        if (flow.get().isGuest()) {
            // TS 24.371 scenario 3: an anonymous guest cannot be reached
            sip.respondWithWarning(st, Response.FORBIDDEN, null, "an anonymous guest cannot be reached");
            return;
        }
        if (Request.MESSAGE.equals(request.getMethod())) {
            Flow target = flow.get();
            if (b2bua.recordsBacklogged(st, "a MESSAGE from the core for " + target.describe())) {
                return;
            }
            String impu = registrations.forFlow(target.id()).map(b -> b.defaultIdentity())
                    .orElse(request.getRequestURI().toString());
            policy.message(st, callIdOf(request), impu, target, () -> {
                try {
                    forwardToClient(st, request, target);
                } catch (ParseException | InvalidArgumentException | RuntimeException e) {
                    LOG.log(Level.SEVERE, "Failed to forward a MESSAGE to " + target, e);
                    sip.respond(st, Response.SERVER_INTERNAL_ERROR, null);
                }
            });
            return;
        }
        forwardToClient(st, request, flow.get());
    }

    /** What charging needs of a MESSAGE toward a client: the core's ICID (RFC 7315 §5.6), or ours if it sent none. */
    private MessageFacts terminatingMessage(Request request, Flow target) {
        String recipient = registrations.forFlow(target.id()).map(b -> b.defaultIdentity())
                .orElse(request.getRequestURI().toString());
        javax.sip.header.Header asserted = request.getHeader("P-Asserted-Identity");
        String sender = asserted instanceof javax.sip.header.HeaderAddress address
                ? address.getAddress().getURI().toString()
                : ((javax.sip.header.FromHeader) request.getHeader(javax.sip.header.FromHeader.NAME)).getAddress()
                        .getURI().toString();
        return new MessageFacts(CallDirection.TERMINATING, recipient, sender, target.provider(),
                ChargingVector.icidOf(request).orElseGet(ChargingVector::newIcid), Instant.now(), null, 0);
    }

    /** RFC 5626 §5.3: down the flow the token names, whatever the Request-URI says. */
    private void forwardToClient(ServerTransaction st, Request request, Flow target)
            throws ParseException, InvalidArgumentException {
        Request forwarded = forwarding.forwardCopy(request, st);
        if (forwarded == null) {
            return;
        }
        forwarded.removeFirst(RouteHeader.NAME);
        MessageFacts message = Request.MESSAGE.equals(request.getMethod()) ? terminatingMessage(request, target) : null;
        TrustBoundary.towardClient(forwarded);
        var hop = sip.flowHop(target);
        forwarded.addHeader(sip.newVia(hop.getTransport())); // JAIN-SIP puts a Via on top
        try {
            forwarding.send(forwarded, hop, new ProxiedTransaction(st, forwarded, null, message));
        } catch (SipException e) {
            LOG.log(Level.FINE, "Flow failed while forwarding " + request.getMethod() + " to " + target, e);
            sip.respond(st, FLOW_FAILED, "Flow Failed");
        }
    }
}

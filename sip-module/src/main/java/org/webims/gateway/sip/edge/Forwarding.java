package org.webims.gateway.sip.edge;

import java.text.ParseException;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.signalling.SipContext;
import org.webims.gateway.sip.transport.FlowRouter;

/** What the edge proxy does to a request it forwards (RFC 3261 §16.6) and the Path it records (RFC 3327). */
final class Forwarding {
    private final SipContext sip;

    Forwarding(SipContext sip) {
        this.sip = sip;
    }

    /** Our Path entry for a flow (RFC 3327, RFC 5626 §5.1): the flow token in the user part, {@code ob} for outbound. */
    Address pathFor(Flow flow, boolean outbound) throws ParseException {
        SipURI uri = sip.addresses.createSipURI(sip.tokens.encode(flow.id()), sip.settings.sipHost());
        uri.setPort(sip.settings.sipPort());
        uri.setLrParam();
        if (outbound) {
            uri.setParameter("ob", null);
        }
        return sip.addresses.createAddress(uri);
    }

    /**
     * Prepares a copy of a request for the next hop as a proxy does (RFC 3261 §16.6): Max-Forwards decremented and
     * the caller adds its Via once it knows the transport. Returns null, after answering 483, when Max-Forwards is
     * exhausted.
     */
    Request forwardCopy(Request request, ServerTransaction st) throws ParseException, InvalidArgumentException {
        MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (maxForwards != null && maxForwards.getMaxForwards() <= 0) {
            sip.respond(st, Response.TOO_MANY_HOPS, null);
            return null;
        }
        Request copy = (Request) request.clone();
        if (maxForwards != null) {
            MaxForwardsHeader copied = (MaxForwardsHeader) copy.getHeader(MaxForwardsHeader.NAME);
            copied.setMaxForwards(maxForwards.getMaxForwards() - 1);
        } else {
            copy.setHeader(sip.headers.createMaxForwardsHeader(70));
        }
        return copy;
    }

    /** Sends a forwarded request on a new client transaction remembering what it answers. */
    void send(Request forwarded, Hop hop, ProxiedTransaction context) throws SipException {
        FlowRouter.routeVia(forwarded, hop);
        ClientTransaction ct = sip.newClientTransaction(forwarded);
        ct.setApplicationData(context);
        if (hop.getTransport().toLowerCase().startsWith("ws")) {
            ct.sendRequest(); // down a client's flow
        } else {
            sip.sendTowardCore(ct);
        }
    }
}

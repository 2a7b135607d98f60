package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.DefaultRouter;
import java.util.ListIterator;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

/**
 * The stack's router. The edge handlers decide every next hop themselves (a client's flow whatever its Contact says,
 * or the IMS core's entry point) and attach it to the request; without one, RFC 3261 §8.1.2 routing applies.
 * Instantiated by JAIN-SIP by name ({@code javax.sip.ROUTER_PATH}).
 */
public final class FlowRouter implements Router {
    private final DefaultRouter rfc3261;

    public FlowRouter(SipStack stack, String outboundProxy) {
        this.rfc3261 = new DefaultRouter(stack, outboundProxy);
    }

    /** Makes {@code hop} the next hop of {@code request}. */
    public static void routeVia(Request request, Hop hop) {
        ((SIPRequest) request).setApplicationData(hop);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (((SIPRequest) request).getApplicationData() instanceof Hop chosen) {
            return chosen;
        }
        return rfc3261.getNextHop(request);
    }

    @Override
    public Hop getOutboundProxy() {
        return rfc3261.getOutboundProxy();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ListIterator getNextHops(Request request) {
        return rfc3261.getNextHops(request);
    }
}

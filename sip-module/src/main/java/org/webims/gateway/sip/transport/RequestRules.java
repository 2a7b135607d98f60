package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.message.SIPRequest;
import javax.sip.header.ContactHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.ReferToHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;

/**
 * What a request must carry beyond the headers every request has, checked before the stack sees it so that a
 * request missing it is answered 400 at once instead of failing later inside the stack without an answer.
 */
final class RequestRules {
    private RequestRules() {}

    /** The first rule the request breaks, as a reason for a 400, or null. */
    static String broken(SIPRequest request) {
        String method = request.getMethod();
        if (request.getCSeq() != null && !method.equals(request.getCSeq().getMethod())) {
            return "CSeq method " + request.getCSeq().getMethod() + " differs from the request line"; // RFC 3261 §8.1.1.5
        }
        boolean outOfDialog = request.getToTag() == null;
        if (outOfDialog && createsDialog(method) && request.getHeader(ContactHeader.NAME) == null) {
            return "missing Contact header"; // RFC 3261 §8.1.1.8: requests that can create a dialog carry one
        }
        if (Request.REFER.equals(method) && request.getHeader(ReferToHeader.NAME) == null) {
            return "missing Refer-To header"; // RFC 3515 §2.4.1
        }
        if (Request.NOTIFY.equals(method)) {
            if (request.getHeader(SubscriptionStateHeader.NAME) == null) {
                return "missing Subscription-State header"; // RFC 6665 §4.1.3
            }
            if (request.getHeader(EventHeader.NAME) == null) {
                return "missing Event header"; // RFC 6665 §8.2.1
            }
        }
        return null;
    }

    private static boolean createsDialog(String method) {
        return Request.INVITE.equals(method) || Request.SUBSCRIBE.equals(method) || Request.REFER.equals(method);
    }
}

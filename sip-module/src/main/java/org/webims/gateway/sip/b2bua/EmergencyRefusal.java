package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.call.EmergencyPolicy;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * TS 24.229 §5.2.10.4 and §7.6: an emergency request from a WebRTC client is refused with 380 Alternative Service
 * and the IM CN subsystem XML body; nothing goes to the core. The first admission rule, whatever the core's state.
 */
final class EmergencyRefusal {
    private static final Logger LOG = Logger.getLogger(EmergencyRefusal.class.getName());
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);
    /** TS 24.229 §7.6: the 3GPP IM CN subsystem XML body. */
    static final String IMS_XML_TYPE = "3gpp-ims+xml";

    private final SipContext sip;
    private final EmergencyPolicy emergency;

    EmergencyRefusal(SipContext sip, EmergencyPolicy emergency) {
        this.sip = sip;
        this.emergency = emergency;
    }

    /** Whether a client's INVITE asks for an emergency session (by its Request-URI or its To). */
    boolean isEmergency(Request request) {
        return asks(emergency, request);
    }

    /** Whether {@code request} is an INVITE for an emergency session under {@code emergency} (the same test anywhere). */
    static boolean asks(EmergencyPolicy emergency, Request request) {
        if (!Request.INVITE.equals(request.getMethod())) {
            return false;
        }
        String to = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
        return emergency.isEmergency(request.getRequestURI().toString()) || emergency.isEmergency(to);
    }

    void refuse(ServerTransaction st, Flow flow, String target) {
        refuse(st, flow, target, null);
    }

    /** The 380, with our To tag when a provisional response (an announcement's 183) already carried one. */
    void refuse(ServerTransaction st, Flow flow, String target, String toTag) {
        REFUSALS.warning("emergency refused", () -> "Emergency session to " + target + " from "
                + (flow == null ? "the IMS core" : flow.describe()) + " refused: not supported over WebRTC access");
        try {
            Response response = sip.messages.createResponse(Response.ALTERNATIVE_SERVICE, st.getRequest());
            if (toTag != null) {
                ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(toTag);
            }
            response.setContent("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<ims-3gpp version=\"1\"><alternative-service><type>emergency</type>"
                    + "<reason>Emergency calls are not supported from this WebRTC client; call from a phone"
                    + "</reason></alternative-service></ims-3gpp>\n",
                    sip.headers.createContentTypeHeader("application", IMS_XML_TYPE));
            response.addHeader(sip.headers.createWarningHeader(sip.settings.sipHost(), 399,
                    "emergency calls are not supported over WebRTC access"));
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException e) {
            LOG.log(Level.FINE, "Could not send 380", e);
        }
    }
}

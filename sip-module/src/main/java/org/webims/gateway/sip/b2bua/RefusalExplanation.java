package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.util.List;
import java.util.ListIterator;
import javax.sip.header.Header;
import javax.sip.message.Response;

/**
 * What explains a refusal, carried from the leg that refused to the leg that asked: a B2BUA builds its own
 * response on each leg, and without this the caller would get only a status code. The reason phrase, these headers
 * and a non-SDP body (the 3GPP IM CN subsystem XML of a 380, TS 24.229 §7.6; a text explanation) pass; headers that
 * describe one leg's dialog, transport or routing never do.
 */
final class RefusalExplanation {
    /**
     * Warning (RFC 3261 §20.43), Retry-After (§20.33), Reason (RFC 3326), Error-Info (§20.18), and what a client
     * needs to retry differently: Unsupported for 420 (§20.40), Accept* for 415 (§20.1-20.3), Allow for 405 (§20.5).
     */
    static final List<String> HEADERS = List.of("Warning", "Retry-After", "Reason", "Error-Info", "Unsupported",
            "Accept", "Accept-Encoding", "Accept-Language", "Allow");

    private RefusalExplanation() {}

    /** Copies the explanation of a final refusal (3xx-6xx) onto our response to the other leg; others are left. */
    static void passOn(Response refusal, Response out) throws ParseException {
        if (refusal.getStatusCode() < 300) {
            return;
        }
        if (out.getStatusCode() == refusal.getStatusCode()) { // a 503 relayed to the core as a 500 keeps 500's phrase
            out.setReasonPhrase(refusal.getReasonPhrase());
        }
        for (String name : HEADERS) {
            out.removeHeader(name);
            ListIterator<?> values = refusal.getHeaders(name);
            while (values.hasNext()) {
                out.addHeader((Header) ((Header) values.next()).clone());
            }
        }
        if (SipBodies.sdp(refusal) == null) {
            SipBodies.copyBody(refusal, out);
        }
    }
}

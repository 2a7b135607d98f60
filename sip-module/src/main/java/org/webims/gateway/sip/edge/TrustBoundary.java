package org.webims.gateway.sip.edge;

import java.util.List;
import java.util.ListIterator;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.Parameters;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.message.Message;

/**
 * The border of the IMS trust domain, which the gateway is (TS 24.229 §4.4): headers that only the network may set
 * are removed from whatever a WebRTC client sends, and headers meant for the core's own nodes are removed from
 * whatever reaches a client. For messages the gateway proxies (REGISTER, MESSAGE, OPTIONS and their responses);
 * the B2BUA builds its requests on each leg from scratch and copies no such header.
 */
final class TrustBoundary {

    /** Set by network nodes only; from a client they are forgeries (or, for Path, a route around the gateway). */
    static final List<String> NETWORK_ONLY = List.of(
            "P-Asserted-Identity", "P-Preferred-Identity", // RFC 3325: we assert the identity ourselves
            "Path", // RFC 3327: proxies on the path add it, and ours is the first
            "P-Served-User", // RFC 5502
            "P-Asserted-Service", // RFC 6050
            "P-Profile-Key", // RFC 5002
            "P-Charging-Vector", "P-Charging-Function-Addresses", // RFC 7315
            "P-Visited-Network-ID", "P-Called-Party-ID"); // RFC 7315

    /** For the core's nodes only (RFC 7315 charging correlation and addresses, RFC 5502, RFC 5002). */
    static final List<String> CORE_ONLY = List.of("P-Charging-Vector", "P-Charging-Function-Addresses",
            "P-Served-User", "P-Profile-Key");

    /**
     * TS 24.229 §5.2.2.1, TS 33.203 Annex U: the P-CSCF alone tells the S-CSCF that a client is already authenticated
     * ("auth-done", trusted node authentication); from a client it would be a registration without a password.
     */
    static final String INTEGRITY_PROTECTED = "integrity-protected";

    private TrustBoundary() {}

    /** A message from a client, before it goes into the core. */
    static void fromClient(Message message) {
        NETWORK_ONLY.forEach(message::removeHeader);
        removeParameter(message, AuthorizationHeader.NAME, INTEGRITY_PROTECTED);
        removeParameter(message, ProxyAuthorizationHeader.NAME, INTEGRITY_PROTECTED);
    }

    /** A message from the core, before it goes to a client. */
    static void towardClient(Message message) {
        CORE_ONLY.forEach(message::removeHeader);
    }

    private static void removeParameter(Message message, String header, String parameter) {
        ListIterator<?> headers = message.getHeaders(header);
        while (headers.hasNext()) {
            if (headers.next() instanceof Parameters parameters) {
                parameters.removeParameter(parameter);
            }
        }
    }
}

/**
 * The SIP side of the gateway: the eP-CSCF toward WebRTC IMS clients over WebSocket (RFC 7118, TS 24.371) and
 * toward the IMS core (TS 24.229 P-CSCF procedures).
 *
 * <p>{@code flow} and {@code registration} are plain Java (no JAIN-SIP); {@code transport} adapts WebSocket
 * connections to the JAIN-SIP transaction layer; {@code edge} holds the request handlers; {@code runtime} owns the
 * stack's lifecycle.
 */
package org.webims.gateway.sip;

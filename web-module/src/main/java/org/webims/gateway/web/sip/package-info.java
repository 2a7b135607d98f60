/**
 * SIP over WebSocket (RFC 7118) at {@code /sip}: the handshake policy, the endpoint, and the adapter that gives
 * the SIP module a non-blocking view of each connection; and the startup singleton that hosts the SIP runtime.
 */
package org.webims.gateway.web.sip;

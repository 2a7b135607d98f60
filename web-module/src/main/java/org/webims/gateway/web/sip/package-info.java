/**
 * SIP over WebSocket (RFC 7118) at {@code /sip}: the handshake filter that admits and upgrades a
 * connection, the listener that hands its frames to the SIP module, and the adapter that gives the SIP module a
 * non-blocking view of it; and the startup singleton that hosts the SIP runtime.
 */
package org.webims.gateway.web.sip;

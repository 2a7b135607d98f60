package org.webims.gateway.sip.flow;

/**
 * The SIP side of one open WebSocket connection, as the web module's endpoint sees it: it forwards each WebSocket
 * event here and does nothing else. Every method returns without waiting for SIP processing.
 */
public interface FlowSession {

    Flow flow();

    /** A text message: one SIP message, or an RFC 5626 CRLF keepalive. */
    void onText(String text);

    /** A binary message: one SIP message (RFC 7118 §5.2). */
    void onBinary(byte[] data);

    /** A pong answering our ping. */
    void onPong();

    /** The connection has closed, cleanly or not. Idempotent. */
    void onClose(String cause);
}

package org.webims.gateway.sip.flow;

/**
 * The SIP side of one open WebSocket connection, as the web module's WebSocket listener sees it: it forwards each WebSocket
 * event here and does nothing else. Every method returns without waiting for SIP processing.
 */
public interface FlowSession {

    Flow flow();

    /**
     * A text message, its UTF-8 as the client sent it (the web server checked it, RFC 6455 §8.1): one SIP message, or
     * an RFC 5626 CRLF keepalive.
     */
    void onText(byte[] utf8);

    /** A binary message: one SIP message (RFC 7118 §5.2). */
    void onBinary(byte[] data);

    /** A pong answering our ping. */
    void onPong();

    /** The connection has closed, cleanly or not. Idempotent. */
    void onClose(String cause);
}

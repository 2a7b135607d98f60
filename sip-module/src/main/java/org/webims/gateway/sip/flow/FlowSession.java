package org.webims.gateway.sip.flow;

/**
 * The SIP side of one open WebSocket connection, as the web module's WebSocket listener sees it: it forwards each WebSocket
 * event here and does nothing else. Every method returns without waiting for SIP processing.
 */
public interface FlowSession {

    Flow flow();

    /**
     * One message, text or binary, as the bytes the client sent (a text message's UTF-8 checked by the web server,
     * RFC 6455 §8.1; a binary one carries a SIP message that is not valid UTF-8, RFC 7118 §5.2): one SIP message, or
     * an RFC 5626 CRLF keepalive.
     */
    void onMessage(byte[] data);

    /** A pong answering our ping. */
    void onPong();

    /** The connection has closed, cleanly or not. Idempotent. */
    void onClose(String cause);
}

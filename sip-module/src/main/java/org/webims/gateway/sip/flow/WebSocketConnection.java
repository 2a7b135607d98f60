package org.webims.gateway.sip.flow;

import java.net.InetSocketAddress;

/**
 * What the SIP side needs from one WebSocket connection (RFC 7118). The web module implements it over Undertow's
 * WebSocket channel; every method returns at once and never blocks the caller.
 */
public interface WebSocketConnection {

    /** An id of the connection, for log lines. */
    String id();

    InetSocketAddress remoteAddress();

    /** The Origin of the handshake (RFC 6454), which names the client's provider; null when it sent none. */
    default String origin() {
        return null;
    }

    /**
     * The client's address, for its access network: the connection's peer, or behind a trusted reverse proxy the
     * address that proxy saw (X-Forwarded-For).
     */
    default java.net.InetAddress clientAddress() {
        return remoteAddress().getAddress();
    }

    /** Whether the connection is WebSocket over TLS (wss). */
    boolean secure();

    /** Queues a SIP message as one text frame; frames leave in the order they were queued. */
    void sendText(String text);

    /** Queues a SIP message as one binary frame (RFC 7118 §5.2: a message that is not valid UTF-8). */
    void sendBinary(byte[] data);

    /** Sends a WebSocket ping (RFC 6455 §5.5.2). */
    void ping();

    /** Closes the connection with a WebSocket close code and reason. */
    void close(int code, String reason);

    boolean isOpen();
}

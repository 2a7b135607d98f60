package org.webims.gateway.web.sip;

import io.undertow.servlet.websockets.ServletWebSocketHttpExchange;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The WebSocket opening handshake of {@code /sip} (RFC 6455 §4.2.2, version 13, what every browser speaks), done with
 * Undertow's own handshake from the servlet filter that checked the request: the 101 names the subprotocol
 * {@code sip} (RFC 7118 §4), and the upgraded connection is handed over as Undertow's channel, read by
 * {@link SipFrameListener}.
 */
final class SipWebSocketUpgrade {
    static final String SIP = "sip";
    /** RFC 6455 §4.4: the version this server speaks, named to a client that asked for another. */
    static final String VERSION = "13";

    private final Handshake handshake = new Hybi13Handshake(Set.of(SIP), false);
    /** Undertow's exchange asks for the set of peers of an endpoint; nothing here broadcasts, so none is kept. */
    private final Set<WebSocketChannel> noPeers = ConcurrentHashMap.newKeySet();

    /**
     * Answers the handshake with 101 and hands the channel to {@code opened} on the connection's I/O thread once the
     * upgrade is done; false (nothing sent) when the request is not a version 13 handshake.
     */
    boolean upgrade(HttpServletRequest request, HttpServletResponse response, Consumer<WebSocketChannel> opened) {
        ServletWebSocketHttpExchange exchange = new ServletWebSocketHttpExchange(request, response, noPeers);
        if (!handshake.matches(exchange)) {
            return false;
        }
        exchange.upgradeChannel((connection, httpExchange) ->
                opened.accept(handshake.createChannel(exchange, connection, exchange.getBufferPool())));
        handshake.handshake(exchange);
        return true;
    }
}

package org.webims.gateway.web.sip;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the handshake filter learned about a connection (its Origin, the client's address) handed to the WebSocket
 * endpoint when the connection opens, keyed by the TCP peer (unique among open connections). An entry leaves when
 * the endpoint takes it or the connection closes, so the map holds at most the connections being upgraded.
 */
@ApplicationScoped
public class HandshakeContexts {
    /** The Origin of the handshake and the client's address (after a trusted proxy's X-Forwarded-For). */
    public record ClientContext(String origin, InetAddress clientAddress) {
    }

    private final Map<InetSocketAddress, ClientContext> pending = new ConcurrentHashMap<>();

    void put(InetSocketAddress peer, ClientContext context) {
        pending.put(peer, context);
    }

    Optional<ClientContext> take(InetSocketAddress peer) {
        return Optional.ofNullable(pending.remove(peer));
    }

    void forget(InetSocketAddress peer) {
        pending.remove(peer);
    }
}

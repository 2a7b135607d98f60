package org.webims.gateway.web.sip;

import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * Completes the RFC 7118 §4 handshake: the 101 echoes {@code Sec-WebSocket-Protocol: sip}. Origin and subprotocol
 * are enforced before the upgrade by {@link WebSocketHandshakeFilter}, which can answer with an HTTP status.
 */
public class WebSocketHandshakePolicy extends ServerEndpointConfig.Configurator {
    static final String SIP = "sip";

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return requested.stream().filter(SIP::equalsIgnoreCase).findFirst().orElse("");
    }
}

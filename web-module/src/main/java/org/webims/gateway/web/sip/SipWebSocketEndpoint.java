package org.webims.gateway.web.sip;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.logging.Logger;
import org.webims.gateway.sip.flow.FlowSession;

/**
 * SIP over WebSocket (RFC 7118) at {@code /sip}, on the web app's own origin, ports and TLS. A thin adapter: each
 * connection becomes a flow of the SIP runtime and every event is handed to it without waiting.
 */
@ServerEndpoint(value = "/sip", subprotocols = "sip", configurator = WebSocketHandshakePolicy.class)
public class SipWebSocketEndpoint {
    private static final Logger LOG = Logger.getLogger(SipWebSocketEndpoint.class.getName());
    private static final String FLOW = "gateway.flow";
    /** Headroom over the SIP size limit, so that a message a little too large is answered 513, not cut off. */
    private static final int BUFFER_FACTOR = 4;

    @Inject
    SipRuntimeHost host;

    @OnOpen
    public void open(Session session, EndpointConfig config) {
        int limit = host.runtime().webSockets().maxMessageBytes();
        session.setMaxTextMessageBufferSize(limit * BUFFER_FACTOR);
        session.setMaxBinaryMessageBufferSize(limit * BUFFER_FACTOR);
        session.setMaxIdleTimeout(0); // liveness is the keepalive supervisor's job
        FlowSession flow = host.runtime().webSockets().open(new UndertowWebSocketConnection(session));
        session.getUserProperties().put(FLOW, flow);
        LOG.fine(() -> "SIP WebSocket open: " + flow.flow().describe());
    }

    @OnMessage
    public void text(Session session, String message) {
        flow(session).onText(message);
    }

    @OnMessage
    public void binary(Session session, ByteBuffer message) {
        byte[] data = new byte[message.remaining()];
        message.get(data);
        flow(session).onBinary(data);
    }

    @OnMessage
    public void pong(Session session, PongMessage pong) {
        flow(session).onPong();
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        FlowSession flow = (FlowSession) session.getUserProperties().get(FLOW);
        if (flow != null) {
            flow.onClose("closed " + reason.getCloseCode().getCode() + " " + reason.getReasonPhrase());
        }
    }

    @OnError
    public void error(Session session, Throwable error) {
        FlowSession flow = (FlowSession) session.getUserProperties().get(FLOW);
        LOG.info(() -> "WebSocket error on " + (flow != null ? flow.flow().describe() : session.getId()) + ": "
                + error);
        if (flow != null) {
            flow.onClose("error: " + error);
        }
    }

    private static FlowSession flow(Session session) {
        return (FlowSession) session.getUserProperties().get(FLOW);
    }
}

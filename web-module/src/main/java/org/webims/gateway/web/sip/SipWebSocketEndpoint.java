package org.webims.gateway.web.sip;

import org.webims.gateway.sip.logging.RateLimitedLog;
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
    private static final String ASSEMBLER = "gateway.assembler";
    /** RFC 6455 §7.4.1: 1009 message too big. */
    private static final int MESSAGE_TOO_BIG = 1009;
    /** RFC 6455 §7.4.1: 1008 policy violation. */
    private static final int POLICY_VIOLATION = 1008;
    private static final RateLimitedLog OVERSIZED = RateLimitedLog.of(LOG);

    @Inject
    SipRuntimeHost host;

    @Inject
    HandshakeContexts contexts;

    @OnOpen
    public void open(Session session, EndpointConfig config) {
        int cap = host.webSocketLimits().maxBufferedMessageBytes();
        // Partial handlers below: the container hands over each chunk as it is read, and the assembler holds at
        // most the cap. (The container's own limit on whole text messages is not checked on every read.)
        session.setMaxTextMessageBufferSize(cap);
        session.setMaxBinaryMessageBufferSize(cap);
        session.setMaxIdleTimeout(0); // liveness is the keepalive supervisor's job
        var connection = UndertowWebSocketConnection.of(session, contexts);
        if (connection.isEmpty()) {
            // fail closed: without its Origin and address the client's provider and network policy cannot apply
            LOG.warning(() -> "WebSocket " + session.getId() + " opened without its handshake context: closed 1008");
            close(session, POLICY_VIOLATION, "handshake not checked");
            return;
        }
        FlowSession flow = host.runtime().webSockets().open(connection.get());
        session.getUserProperties().put(FLOW, flow);
        session.getUserProperties().put(ASSEMBLER, new MessageAssembler(cap));
        LOG.fine(() -> "SIP WebSocket open: " + flow.flow().describe());
    }

    private static void close(Session session, int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (java.io.IOException e) {
            LOG.log(java.util.logging.Level.FINE, "Could not close WebSocket " + session.getId(), e);
        }
    }

    @OnMessage
    public void text(Session session, String part, boolean last) {
        if (flow(session) == null) {
            return; // refused at open, closing
        }
        try {
            assembler(session).text(part, last).ifPresent(flow(session)::onText);
        } catch (MessageAssembler.MessageTooBig e) {
            tooBig(session, e);
        }
    }

    @OnMessage
    public void binary(Session session, ByteBuffer part, boolean last) {
        if (flow(session) == null) {
            return; // refused at open, closing
        }
        try {
            assembler(session).binary(part, last).ifPresent(flow(session)::onBinary);
        } catch (MessageAssembler.MessageTooBig e) {
            tooBig(session, e);
        }
    }

    /** RFC 6455 §7.4.1: 1009, a message too big to process; the rest of it is discarded as it arrives. */
    private static void tooBig(Session session, MessageAssembler.MessageTooBig e) {
        FlowSession flow = flow(session);
        int cap = assembler(session).maxBytes();
        OVERSIZED.warning("message over the hard cap", () -> "WebSocket " + flow.flow().describe() + " sent a message of " + e.atLeast()
                + " bytes or more, over the hard limit of " + cap + ": closed with 1009");
        flow.flow().connection().close(MESSAGE_TOO_BIG, "message over " + cap + " bytes");
    }

    @OnMessage
    public void pong(Session session, PongMessage pong) {
        if (flow(session) != null) {
            flow(session).onPong();
        }
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

    private static MessageAssembler assembler(Session session) {
        return (MessageAssembler) session.getUserProperties().get(ASSEMBLER);
    }
}

package org.webims.gateway.web.sip;

import io.undertow.websockets.jsr.UndertowSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.sip.flow.WebSocketConnection;

/**
 * A Jakarta WebSocket session as the SIP module sees it. Sends are asynchronous and queued so that frames leave in
 * order with one send outstanding at a time; a client that stops reading is disconnected when its queue is full
 * rather than holding memory or a thread.
 */
final class UndertowWebSocketConnection implements WebSocketConnection {
    private static final Logger LOG = Logger.getLogger(UndertowWebSocketConnection.class.getName());
    /** RFC 6455 §7.4.1: 1008 policy violation. */
    private static final int POLICY_VIOLATION = 1008;
    static final int MAX_QUEUED_FRAMES = 1000;

    private final Session session;
    private final InetSocketAddress remote;
    private final Queue<Object> outbox = new ArrayDeque<>();
    private boolean sending;

    private final String origin;
    private final InetAddress clientAddress;

    private UndertowWebSocketConnection(Session session, InetSocketAddress remote, String origin,
            InetAddress clientAddress) {
        this.session = session;
        this.remote = remote;
        this.origin = origin;
        this.clientAddress = clientAddress;
    }

    /**
     * The connection of a session, with what its handshake said (Origin, client address) when the filter saw it;
     * empty when the filter did not see it, for the policy of a client whose provider is unknown must not apply.
     */
    static java.util.Optional<UndertowWebSocketConnection> of(Session session, HandshakeContexts contexts) {
        InetSocketAddress remote = peerOf(session);
        return contexts.take(remote).map(context -> new UndertowWebSocketConnection(session, remote,
                context.origin(), context.clientAddress()));
    }

    @Override
    public String origin() {
        return origin;
    }

    @Override
    public InetAddress clientAddress() {
        return clientAddress;
    }

    /** Jakarta WebSocket has no peer address; Undertow's session has the underlying channel's. */
    private static InetSocketAddress peerOf(Session session) {
        if (session instanceof UndertowSession undertow && undertow.getWebSocketChannel().getSourceAddress() != null) {
            return undertow.getWebSocketChannel().getSourceAddress();
        }
        throw new IllegalStateException("No peer address for WebSocket session " + session.getId());
    }

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean secure() {
        return session.isSecure();
    }

    @Override
    public void sendText(String text) {
        enqueue(text);
    }

    @Override
    public void sendBinary(byte[] data) {
        enqueue(ByteBuffer.wrap(data.clone()));
    }

    @Override
    public void ping() {
        try {
            session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            LOG.log(Level.FINE, "Ping failed on WebSocket " + session.getId(), e);
        }
    }

    @Override
    public void close(int code, String reason) {
        try {
            if (session.isOpen()) {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Close failed on WebSocket " + session.getId(), e);
        }
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    private void enqueue(Object frame) {
        boolean overflow;
        synchronized (outbox) {
            overflow = outbox.size() >= MAX_QUEUED_FRAMES;
            if (overflow) {
                outbox.clear();
            } else {
                outbox.add(frame);
                if (sending) {
                    return;
                }
                sending = true;
            }
        }
        if (overflow) {
            // closed outside the outbox's lock: the close runs the session's close callbacks on this thread
            LOG.warning(() -> "WebSocket " + session.getId() + " from " + remote + " is not reading: "
                    + MAX_QUEUED_FRAMES + " frames queued, closing it");
            close(POLICY_VIOLATION, "not reading");
            return;
        }
        sendNext();
    }

    private void sendNext() {
        Object frame;
        synchronized (outbox) {
            frame = outbox.poll();
            if (frame == null) {
                sending = false;
                return;
            }
        }
        try {
            if (frame instanceof String text) {
                session.getAsyncRemote().sendText(text, this::sent);
            } else {
                session.getAsyncRemote().sendBinary((ByteBuffer) frame, this::sent);
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.log(Level.FINE, "Send failed on WebSocket " + session.getId(), e);
            synchronized (outbox) {
                outbox.clear();
                sending = false;
            }
        }
    }

    private void sent(SendResult result) {
        if (!result.isOK()) {
            LOG.log(Level.FINE, "Send failed on WebSocket " + session.getId(), result.getException());
        }
        sendNext();
    }
}

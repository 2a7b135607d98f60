package org.webims.gateway.web.sip;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.IoUtils;
import org.webims.gateway.sip.flow.WebSocketConnection;

/**
 * An Undertow WebSocket channel as the SIP module sees it. Sends are asynchronous and queued so that frames leave in
 * order with one send outstanding at a time; a client that stops reading is disconnected when its queue is full
 * rather than holding memory or a thread.
 */
final class UndertowWebSocketConnection implements WebSocketConnection {
    private static final Logger LOG = Logger.getLogger(UndertowWebSocketConnection.class.getName());
    /** RFC 6455 §7.4.1: 1008 policy violation. */
    private static final int POLICY_VIOLATION = 1008;
    static final int MAX_QUEUED_FRAMES = 1000;
    /**
     * How long the peer has to answer a close frame before the TCP connection is closed under it (RFC 6455 §7.1.1:
     * the server closes the connection once the close handshake is done, or when the peer does not take part).
     */
    static final long CLOSE_GRACE_MS = 1000;
    private static final AtomicLong IDS = new AtomicLong();

    private final WebSocketChannel channel;
    private final String id;
    private final InetSocketAddress remote;
    private final Queue<Object> outbox = new ArrayDeque<>();
    private boolean sending;

    private final String origin;
    private final InetAddress clientAddress;
    private volatile java.util.function.Consumer<String> closed = cause -> { };
    private final java.util.concurrent.atomic.AtomicBoolean closeSent = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param origin        the Origin of the handshake (the client's provider)
     * @param clientAddress the client's address as the handshake filter found it (after a trusted proxy's
     *                      X-Forwarded-For)
     */
    UndertowWebSocketConnection(WebSocketChannel channel, String origin, InetAddress clientAddress) {
        this.channel = channel;
        this.id = "ws-" + IDS.incrementAndGet();
        this.remote = channel.getSourceAddress();
        this.origin = origin;
        this.clientAddress = clientAddress;
    }

    @Override
    public String origin() {
        return origin;
    }

    @Override
    public InetAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean secure() {
        return channel.isSecure();
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
        if (isOpen()) {
            WebSockets.sendPing(ByteBuffer.allocate(0), channel, null);
        }
    }

    /**
     * Tells {@code closed} (the flow) when the gateway closes the connection, at once, as a container's session close
     * tells its endpoint; the channel's own close (the client's, or the TCP connection's) reaches it separately.
     */
    void whenClosed(java.util.function.Consumer<String> closed) {
        this.closed = closed;
    }

    @Override
    public void close(int code, String reason) {
        // once: a second close frame (the keepalive timer and an oversized message at the same moment) would fail
        // and close the TCP connection under the first, before the client read it
        if (!isOpen() || !closeSent.compareAndSet(false, true)) {
            return;
        }
        WebSockets.sendClose(code, reason, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel closing, Void context) {
                // the peer answers (and Undertow closes the connection) or the grace below ends it
            }

            @Override
            public void onError(WebSocketChannel closing, Void context, Throwable failure) {
                LOG.log(Level.FINE, "Close failed on WebSocket " + id, failure);
                IoUtils.safeClose(closing);
            }
        });
        // started now, not once the close frame is out: behind frames a client does not read it may never leave
        closeAfterGrace(channel);
        closed.accept("closed by the gateway " + code + " " + reason);
    }

    /** The peer has {@link #CLOSE_GRACE_MS} to answer a close frame; then the TCP connection is closed under it. */
    static void closeAfterGrace(WebSocketChannel closing) {
        closing.getIoThread().executeAfter(() -> IoUtils.safeClose(closing), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen() && !channel.isCloseFrameSent();
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
            // closed outside the outbox's lock: the close tells the flow on this thread
            LOG.warning(() -> "WebSocket " + id + " from " + remote + " is not reading: " + MAX_QUEUED_FRAMES
                    + " frames queued, closing it");
            close(POLICY_VIOLATION, "not reading");
            return;
        }
        sendNext();
    }

    /** The end of one send: the next frame goes out. Once only, whatever Undertow's listeners do. */
    private final class Sent implements WebSocketCallback<Void> {
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public void complete(WebSocketChannel ignored, Void context) {
            if (ended.compareAndSet(false, true)) {
                sendNext();
            }
        }

        @Override
        public void onError(WebSocketChannel ignored, Void context, Throwable failure) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            LOG.log(Level.FINE, "Send failed on WebSocket " + id, failure);
            synchronized (outbox) {
                outbox.clear();
                sending = false;
            }
        }
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
        if (frame instanceof String text) {
            WebSockets.sendText(text, channel, new Sent());
        } else {
            WebSockets.sendBinary((ByteBuffer) frame, channel, new Sent());
        }
    }
}

package org.webims.gateway.web.sip;

import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.sip.flow.FlowSession;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.xnio.IoUtils;

/**
 * The frames of one SIP WebSocket (RFC 7118), read on the I/O thread that read them and handed to the connection's
 * flow without waiting (every flow callback is non-blocking: SIP parsing, the overload door, queuing;
 * docs/ARCHITECTURE.md "Threads"). Undertow's own listener, not a Jakarta WebSocket endpoint: the latter wrapped every
 * message in the server's per-request context set-up and its annotated dispatch, about 5 % of the gateway's CPU at
 * 150 calls/s (issue 14), which SIP work (no transaction, no EJB, no JNDI) does not need.
 *
 * <p>A text or binary message is read whole, fragments joined, up to {@code maxMessageBytes}
 * ({@link BoundedMessageReader}); the read that would take one over it stops before the bytes are kept and the
 * connection is closed with 1009 (RFC 6455 §7.4.1). Pings are answered by Undertow (RFC 6455 §5.5.3), a client's
 * close frame is echoed by it (§5.5.1).
 */
final class SipFrameListener extends AbstractReceiveListener {
    private static final Logger LOG = Logger.getLogger(SipFrameListener.class.getName());
    private static final RateLimitedLog OVERSIZED = RateLimitedLog.of(LOG);
    /** RFC 6455 §7.4.1: 1009 message too big, 1011 an unexpected condition. */
    private static final int MESSAGE_TOO_BIG = 1009;
    private static final int INTERNAL_ERROR = 1011;

    private final FlowSession flow;
    private final UndertowWebSocketConnection connection;
    private final long maxMessageBytes;

    SipFrameListener(FlowSession flow, UndertowWebSocketConnection connection, long maxMessageBytes) {
        this.flow = flow;
        this.connection = connection;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void onText(WebSocketChannel channel, StreamSourceFrameChannel message) {
        read(channel, message);
    }

    @Override
    protected void onBinary(WebSocketChannel channel, StreamSourceFrameChannel message) {
        read(channel, message);
    }

    private void read(WebSocketChannel channel, StreamSourceFrameChannel message) {
        BoundedMessageReader.read(message, maxMessageBytes, new BoundedMessageReader.Outcome() {
            @Override
            public void complete(byte[] whole) {
                try {
                    flow.onMessage(whole);
                } catch (RuntimeException unexpected) {
                    // as a container's endpoint would: logged, the flow closed, the client told (1011)
                    LOG.log(Level.SEVERE, "WebSocket " + flow.flow().describe() + ": a message could not be handled",
                            unexpected);
                    connection.close(INTERNAL_ERROR, "unexpected condition");
                }
            }

            @Override
            public void tooBig(long atLeast) {
                OVERSIZED.warning("message over the hard cap", () -> "WebSocket " + flow.flow().describe()
                        + " sent a message of " + atLeast + " bytes or more, over the hard limit of " + maxMessageBytes
                        + ": closed with 1009");
                connection.close(MESSAGE_TOO_BIG, "message over " + maxMessageBytes + " bytes");
            }

            @Override
            public void failed(IOException error) {
                onError(channel, error);
            }
        });
    }

    @Override
    protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        message.getData().free();
        flow.onPong();
    }

    @Override
    protected void onCloseMessage(CloseMessage close, WebSocketChannel channel) {
        try {
            flow.onClose("closed " + close.getCode() + " " + close.getReason());
        } catch (RuntimeException unexpected) { // Undertow's echo of the close must still go out
            LOG.log(Level.SEVERE, "WebSocket " + flow.flow().describe() + ": its close could not be handled",
                    unexpected);
        }
    }

    /** The connection broke (a read failed, a frame was malformed): closed at once, the flow with it. */
    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        LOG.info(() -> "WebSocket error on " + flow.flow().describe() + ": " + error);
        try {
            flow.onClose("error: " + error);
        } finally {
            IoUtils.safeClose(channel);
        }
    }
}

package org.webims.gateway.web.sip;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.xnio.ChannelListener;

/**
 * Reads one WebSocket message (text or binary, its fragments joined: Undertow hands over a fragmented message as one
 * channel) into bytes, and never holds more than {@code maxBytes}: the read that would take the message over it is not
 * kept, nor anything after it (RFC 6455 §7.4.1: the caller closes with 1009; the rest of the message is read and
 * dropped, so that the client's close frame behind it can still be read). Written here rather than
 * taken from Undertow's {@code BufferedTextMessage}, whose size check in 2.3.23 runs only at the end of a message that
 * arrives in more than one read (UNDERTOW-2770): a client could have made the server buffer a gigabyte.
 *
 * <p>Text frames' UTF-8 is checked by Undertow's channel as it reads (RFC 6455 §8.1); the bytes are passed on as
 * they came. One reader per message; it runs on the connection's I/O thread.
 */
final class BoundedMessageReader implements ChannelListener<StreamSourceFrameChannel> {
    /** What becomes of the message. */
    interface Outcome {
        void complete(byte[] message);

        /** The message would take more than the limit; nothing more of it is kept. */
        void tooBig(long atLeast);

        void failed(IOException error);
    }

    private final long maxBytes;
    private final Outcome outcome;
    private byte[] bytes = new byte[0];
    private int length;
    private boolean done;
    /** Over the limit: what is left of the message is read and dropped. */
    private boolean discarding;

    private BoundedMessageReader(long maxBytes, Outcome outcome) {
        this.maxBytes = maxBytes;
        this.outcome = outcome;
    }

    /** Reads what has arrived of the message now, the rest as it arrives. */
    static void read(StreamSourceFrameChannel message, long maxBytes, Outcome outcome) {
        BoundedMessageReader reader = new BoundedMessageReader(maxBytes, outcome);
        message.getReadSetter().set(reader);
        reader.handleEvent(message);
    }

    @Override
    public void handleEvent(StreamSourceFrameChannel message) {
        if (done) {
            return;
        }
        try (PooledByteBuffer pooled = message.getWebSocketChannel().getBufferPool().allocate()) {
            ByteBuffer buffer = pooled.getBuffer();
            while (true) {
                buffer.clear();
                int n = message.read(buffer);
                if (n == -1) {
                    done = true;
                    if (!discarding) {
                        outcome.complete(length == bytes.length ? bytes : Arrays.copyOf(bytes, length));
                    }
                    return;
                }
                if (n == 0) {
                    message.resumeReads();
                    return;
                }
                if (discarding) {
                    continue;
                }
                if (length + (long) n > maxBytes) {
                    // the rest is read and dropped as it comes, so that the client's answer to the 1009 can be read
                    discarding = true;
                    bytes = null;
                    outcome.tooBig(length + (long) n);
                    continue;
                }
                buffer.flip();
                append(buffer);
            }
        } catch (IOException error) {
            done = true;
            message.suspendReads();
            outcome.failed(error);
        }
    }

    private void append(ByteBuffer buffer) {
        int n = buffer.remaining();
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(length + n, 2L * bytes.length)));
        }
        buffer.get(bytes, length, n);
        length += n;
    }
}

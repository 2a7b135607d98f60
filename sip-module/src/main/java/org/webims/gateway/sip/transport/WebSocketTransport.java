package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.flow.FlowSession;
import org.webims.gateway.sip.flow.FlowTable;
import org.webims.gateway.sip.flow.WebSocketConnection;
import org.webims.gateway.sip.logging.RateLimitedLog;

/**
 * Entry point of WebSocket connections into the SIP stack (RFC 7118). Each connection becomes a flow with its own
 * JAIN-SIP channel; frames are checked (keepalive, size, syntax) and then handed to the transaction layer on the
 * calling thread, which only parses and queues: SIP handling runs on the application executor.
 */
public final class WebSocketTransport {
    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class.getName());
    /** Bad input is logged per cause at a bounded rate, one short line each (issue 9, finding 14). */
    private static final RateLimitedLog BAD_INPUT = RateLimitedLog.of(LOG);
    private static final byte[] CRLF = {'\r', '\n'};

    private final SIPTransactionStack stack;
    private final WebSocketMessageProcessor ws;
    private final WebSocketMessageProcessor wss;
    private final FlowTable flows;
    private final int maxMessageBytes;
    private final Clock clock;
    private final Consumer<Flow> onFlowClosed;
    private final DoorKeeper door;
    private final AtomicLong dropped = new AtomicLong();

    public WebSocketTransport(SIPTransactionStack stack, WebSocketMessageProcessor ws, WebSocketMessageProcessor wss,
            FlowTable flows, int maxMessageBytes, Clock clock, Consumer<Flow> onFlowClosed, DoorKeeper door) {
        this.door = door;
        this.stack = stack;
        this.ws = ws;
        this.wss = wss;
        this.flows = flows;
        this.maxMessageBytes = maxMessageBytes;
        this.clock = clock;
        this.onFlowClosed = onFlowClosed;
    }

    /** Accepts a new connection as a flow. */
    public FlowSession open(WebSocketConnection connection) {
        WebSocketMessageProcessor processor = connection.secure() ? wss : ws;
        FlowSession session = flows.open(connection, flow -> {
            WebSocketMessageChannel channel = new WebSocketMessageChannel(stack, processor, flow);
            processor.register(channel);
            return new Session(flow, channel);
        });
        LOG.fine(() -> "WebSocket flow opened: " + session.flow().describe());
        return session;
    }

    /** Messages dropped because they could not be answered (not SIP at all, or no addressing headers). */
    public long droppedMessages() {
        return dropped.get();
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    private final class Session implements FlowSession {
        private final Flow flow;
        private final WebSocketMessageChannel channel;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicLong droppedHere = new AtomicLong();

        Session(Flow flow, WebSocketMessageChannel channel) {
            this.flow = flow;
            this.channel = channel;
        }

        @Override
        public Flow flow() {
            return flow;
        }

        @Override
        public void onMessage(byte[] data) {
            receive(data);
        }

        @Override
        public void onPong() {
            flow.heard(clock.instant());
        }

        @Override
        public void onClose(String cause) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            channel.closed();
            if (flows.remove(flow.id())) {
                LOG.info(() -> "WebSocket flow closed: " + flow.describe() + ": " + cause);
                onFlowClosed.accept(flow);
            }
        }

        private void receive(byte[] data) {
            flow.heard(clock.instant());
            if (isKeepalivePing(data)) {
                // RFC 5626 §4.4.1: a double-CRLF ping is answered with a single-CRLF pong.
                flow.connection().sendText(new String(CRLF, StandardCharsets.US_ASCII));
                return;
            }
            if (isBlank(data)) {
                return;
            }
            if (data.length <= maxMessageBytes && door.refusing() && refusedUnparsed(data)) {
                return;
            }
            InboundMessage in = InboundMessage.parse(data);
            if (data.length > maxMessageBytes) {
                rejectOversized(in, data.length);
                return;
            }
            if (!in.ok()) {
                reject(in, data);
                return;
            }
            if (in.message() instanceof SIPRequest request && door.dealtWith(request, flow, channel::sendStateless)) {
                return;
            }
            try {
                channel.deliver(in.message());
            } catch (Exception e) {
                BAD_INPUT.warning("refused by the SIP stack", () -> "Message from " + flow.describe()
                        + " refused by the SIP stack: " + e.getClass().getSimpleName() + ": "
                        + InboundMessage.oneLine(e.getMessage()));
            }
        }

        /** A refusal from the raw head costs a fraction of the parse it saves (issue 14: goodput past capacity). */
        private boolean refusedUnparsed(byte[] data) {
            Optional<RequestHead> head = RequestHead.read(data);
            return head.isPresent() && door.dealtWith(head.get(), flow, text -> flow.connection().sendText(text));
        }

        private void rejectOversized(InboundMessage in, int size) {
            BAD_INPUT.warning("oversized message", () -> "Message of " + size + " bytes from " + flow.describe()
                    + " is over the limit of " + maxMessageBytes + (in.answerable() ? ": answered 513" : ": dropped"));
            if (in.answerable()) {
                answer((SIPRequest) in.message(), Response.MESSAGE_TOO_LARGE, "Message Too Large");
            } else {
                drop("oversized and unanswerable");
            }
        }

        /** Counts a message that cannot be answered; the log line is rate-limited over all connections. */
        private void drop(String problem) {
            dropped.incrementAndGet();
            long here = droppedHere.incrementAndGet();
            BAD_INPUT.warning("unusable message", () -> "Unusable message from " + flow.describe() + " dropped: "
                    + problem + " (" + here + " dropped on this connection)");
        }

        private void reject(InboundMessage in, byte[] data) {
            if (in.answerable()) {
                BAD_INPUT.warning("bad request", () -> "Bad request from " + flow.describe() + ": " + in.problem()
                        + ": answered 400");
                answer((SIPRequest) in.message(), Response.BAD_REQUEST, "Bad Request (" + in.problem() + ")");
                return;
            }
            // RFC 3261 §8.2.6.2 copies Via, From, To, Call-ID and CSeq as they came; §17.2.3: an ACK is never answered
            String reason = "Bad Request (" + InboundMessage.oneLine(in.problem()) + ")";
            Optional<String> raw = RequestHead.read(data).filter(head -> !Request.ACK.equals(head.method()))
                    .map(head -> head.response(Response.BAD_REQUEST, reason, null, List.of()));
            if (raw.isPresent()) {
                // rate-limited: a client can send this at will, and this runs on the I/O thread that read it
                BAD_INPUT.warning("bad request", () -> "Bad request from " + flow.describe() + ": " + in.problem()
                        + ": answered 400 from its raw headers");
                flow.connection().sendText(raw.get());
            } else {
                drop(in.problem());
            }
        }

        private void answer(SIPRequest request, int status, String reason) {
            if (Request.ACK.equals(request.getMethod())) {
                return; // RFC 3261 §17.2.3: an ACK is never answered
            }
            SIPResponse response = request.createResponse(status, InboundMessage.oneLine(reason));
            channel.sendStateless(response);
        }
    }

    private static boolean isKeepalivePing(byte[] data) {
        return data.length == 4 && data[0] == '\r' && data[1] == '\n' && data[2] == '\r' && data[3] == '\n';
    }

    private static boolean isBlank(byte[] data) {
        for (byte b : data) {
            if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}

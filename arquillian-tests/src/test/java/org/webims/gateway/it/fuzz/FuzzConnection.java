package org.webims.gateway.it.fuzz;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.webims.gateway.it.client.DigestAuth;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipRequestFactory;
import org.webims.gateway.it.support.RawWebSocket;

/**
 * One WebSocket of the fuzzer, on a bare RFC 6455 socket so that any bytes can be sent (invalid UTF-8 in a text
 * frame too) and nothing received is kept beyond counting it. A registered connection REGISTERs with digest (the
 * demo credentials) when it opens, so its inputs reach the B2BUA and the core; an unregistered one never does.
 *
 * <p>A reader thread answers pings, counts the answers to the inputs (matched by Call-ID), answers the requests the
 * gateway sends to this client, and notices when the server closes the connection; the next input then reopens it
 * (and registers again, with the same Contact and instance so that no binding accumulates at the core).
 */
final class FuzzConnection implements AutoCloseable {
    private static final int PONG = 10;
    private static final int MAX_IN_FLIGHT = 10_000;
    private static final Pattern STATUS = Pattern.compile("^SIP/2\\.0 (\\d{3})");
    private static final Pattern CSEQ = Pattern.compile("(?im)^CSeq[ \\t]*:[ \\t]*(\\d+)");
    private static final Duration SETUP_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final int port;
    private final SipClientIdentity identity;
    private final SipRequestFactory factory;
    private final FuzzStats stats;
    private final Function<SipMessage, String> answerer;
    private final Map<String, FuzzStats.InFlight> inFlight = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<SipMessage>> waiting = new ConcurrentHashMap<>();
    private final Object answers = new Object();
    private long finalsSeen;
    private volatile RawWebSocket socket;
    private volatile boolean open;
    private volatile boolean closing;
    private volatile String lastInput = "(no input yet)";

    /**
     * @param identity who registers on this connection, or null for an unregistered one
     * @param answerer the response text to a request the gateway sends, or null to send none
     */
    FuzzConnection(String name, int port, SipClientIdentity identity, FuzzStats stats,
                   Function<SipMessage, String> answerer) {
        this.name = name;
        this.port = port;
        this.identity = identity;
        this.factory = new SipRequestFactory(identity != null ? identity : SipClientIdentity.of("anonymous", "x"));
        this.stats = stats;
        this.answerer = answerer;
    }

    String name() {
        return name;
    }

    boolean registered() {
        return identity != null;
    }

    SipRequestFactory factory() {
        return factory;
    }

    /** Opens the WebSocket (and registers) unless it is open. */
    synchronized void ensureOpen() throws IOException {
        if (open) {
            return;
        }
        RawWebSocket s = RawWebSocket.connect(port);
        socket = s;
        open = true;
        Thread reader = new Thread(() -> read(s), "fuzz-reader-" + name);
        reader.setDaemon(true);
        reader.start();
        if (identity != null) {
            register();
        }
    }

    /** RFC 3261 §10.2, §22: REGISTER, answer the digest challenge, expect 200. */
    private void register() throws IOException {
        String tag = SipRequestFactory.newTag();
        SipMessage response = request(factory.register(factory.nextRegisterCseq(), tag, 600, null));
        if (response.status() == 401) {
            String auth = "Authorization: " + DigestAuth.authorization(response.header("WWW-Authenticate"),
                    identity.privateId(), identity.password(), "REGISTER", identity.registrarUri());
            response = request(factory.register(factory.nextRegisterCseq(), tag, 600, auth));
        }
        if (response.status() != 200) {
            throw new IOException(name + ": REGISTER answered " + response.startLine());
        }
    }

    /** Sends a valid request (not an input) and waits, bounded, for its final response. */
    SipMessage request(String text) throws IOException {
        SipMessage sent = SipMessage.parse(text);
        String key = sent.callId() + "/" + sent.cseq();
        CompletableFuture<SipMessage> answer = new CompletableFuture<>();
        waiting.put(key, answer);
        try {
            socket.send(RawWebSocket.TEXT, text.getBytes(StandardCharsets.UTF_8));
            return answer.get(SETUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(name + ": no final response to " + sent.startLine() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            waiting.remove(key);
        }
    }

    /** Sends a valid request that has no response (an ACK). */
    void sendText(String text) throws IOException {
        socket.send(RawWebSocket.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends one input (reopening the connection first if the server closed it), then waits up to
     * {@code paceMillis} for a final answer on this connection, so that inputs that get one flow at the gateway's
     * pace and the others do not flood it.
     */
    void send(FuzzInput input, long paceMillis) throws IOException {
        ensureOpen();
        stats.sent(input);
        lastInput = "input #" + input.index() + " (" + input.seedMethod() + ", " + input.mutations() + ")";
        String callId = input.callId();
        boolean ack = input.bytes().length > 4 && new String(input.bytes(), 0, 4, StandardCharsets.US_ASCII)
                .equals("ACK ");
        if (ack) {
            stats.acks.increment();
        } else if (callId != null && inFlight.size() < MAX_IN_FLIGHT) {
            inFlight.putIfAbsent(callId, new FuzzStats.InFlight(System.nanoTime(), input.index(),
                    input.seedMethod(), input.mutations(), input.binary(), input.preview(600)));
        }
        long before;
        synchronized (answers) {
            before = finalsSeen;
        }
        try {
            socket.send(input.binary() ? RawWebSocket.BINARY : RawWebSocket.TEXT, input.bytes());
        } catch (IOException e) {
            return; // the server closed it meanwhile; the reader counts that
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(paceMillis);
        synchronized (answers) {
            while (finalsSeen == before && open) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(answers, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Counts the inputs waiting longer than {@code bound} as unanswered. */
    void expire(Duration bound) {
        long now = System.nanoTime();
        inFlight.entrySet().removeIf(e -> {
            if (now - e.getValue().sentNanos() > bound.toNanos()) {
                stats.noAnswer(e.getValue());
                return true;
            }
            return false;
        });
    }

    int inFlight() {
        return inFlight.size();
    }

    private void read(RawWebSocket s) {
        while (true) {
            RawWebSocket.Frame frame;
            try {
                frame = s.read();
            } catch (SocketTimeoutException e) {
                continue; // idle: the socket's read timeout
            } catch (IOException e) {
                closed(s, "EOF");
                return;
            }
            try {
                switch (frame.opcode()) {
                    case RawWebSocket.PING -> s.send(PONG, frame.payload());
                    case RawWebSocket.CLOSE -> {
                        byte[] p = frame.payload();
                        closed(s, p.length >= 2 ? Integer.toString(((p[0] & 0xff) << 8) | (p[1] & 0xff)) : "none");
                        return;
                    }
                    case RawWebSocket.TEXT, RawWebSocket.BINARY -> received(frame.text());
                    default -> { }
                }
            } catch (IOException e) {
                closed(s, "EOF");
                return;
            } catch (RuntimeException e) {
                stats.unparsableFromGateway.increment(); // an answer the test client cannot read: counted, not fatal
            }
        }
    }

    private void received(String text) throws IOException {
        if (text.isBlank()) {
            return;
        }
        Matcher status = STATUS.matcher(text);
        if (!status.find()) {
            requestFromGateway(text);
            return;
        }
        int code = Integer.parseInt(status.group(1));
        String callId = SipMutator.callIdOf(text.getBytes(StandardCharsets.UTF_8));
        Matcher cseq = CSEQ.matcher(text);
        CompletableFuture<SipMessage> setup = code >= 200 && cseq.find()
                ? waiting.get(callId + "/" + cseq.group(1)) : null;
        if (setup != null) {
            setup.complete(SipMessage.parse(text));
            return;
        }
        String statusLine = text.lines().findFirst().orElse("");
        if (code < 200) {
            stats.answer(code, statusLine, true, null);
            return;
        }
        FuzzStats.InFlight input = callId == null ? null : inFlight.remove(callId);
        stats.answer(code, statusLine, input != null, input);
        synchronized (answers) {
            finalsSeen++;
            answers.notifyAll();
        }
    }

    private void requestFromGateway(String text) throws IOException {
        stats.requestsFromGateway.increment();
        SipMessage request;
        try {
            request = SipMessage.parse(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        String response = answerer == null ? null : answerer.apply(request);
        if (response != null) {
            socket.send(RawWebSocket.TEXT, response.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void closed(RawWebSocket s, String code) {
        synchronized (this) {
            if (socket != s || !open) {
                return;
            }
            open = false;
        }
        if (!closing) {
            stats.closedByServer(code, name + ", " + lastInput);
        }
        stats.lostWithConnection.add(inFlight.size());
        inFlight.clear();
        waiting.values().forEach(f -> f.completeExceptionally(new IOException("connection closed " + code)));
        synchronized (answers) {
            answers.notifyAll();
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    @Override
    public void close() {
        closing = true;
        RawWebSocket s = socket;
        if (s != null) {
            try {
                s.send(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xe8});
                s.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }
}

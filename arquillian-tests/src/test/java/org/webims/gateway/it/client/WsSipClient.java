package org.webims.gateway.it.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A WebRTC-style IMS client for black-box tests: speaks SIP over WebSocket (RFC 7118) through the JDK's
 * {@link java.net.http.WebSocket}, like a browser running JsSIP.
 *
 * <p>Transport: every incoming text frame (and binary frame, decoded as UTF-8) is kept as a raw frame and,
 * unless blank (a CRLF keepalive), parsed into a {@link SipMessage}. Tests wait for them with
 * {@link #awaitMessage} / {@link #awaitRawFrame}, which consume the first match from their own pending
 * queue (the same frame is in both queues) and fail with an {@link AssertionError} listing what was received
 * if nothing matches in time. Close code and reason are recorded ({@link #awaitClose}).
 *
 * <p>Requests from the server (MESSAGE, OPTIONS, INVITE, ...) are recorded in {@link #receivedRequests()},
 * queued for {@link #awaitMessage} like any message, and passed to a pluggable {@link RequestHandler};
 * the default one answers MESSAGE and OPTIONS with 200 OK and nothing else.
 *
 * <p>User agent: {@link #register}, {@link #unregister}, {@link #sendMessage}, {@link #sendOptions} build
 * requests with a {@link SipRequestFactory} and answer one 401/407 Digest challenge; {@link #request} sends
 * raw text and waits for its final response. Every wait is bounded (default 5 s).
 *
 * <p>Set the system property {@code webims.it.sipTrace=true} to print every frame to stdout.
 */
public final class WsSipClient implements AutoCloseable {

    /** The gateway's SIP-over-WebSocket endpoint in the test setup. */
    public static final URI DEFAULT_URI = URI.create("ws://127.0.0.1:" + org.webims.gateway.it.TestBed.HTTP_PORT + "/sip");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** WebSocket close code for an abnormal closure (no close frame); recorded on errors and aborts. */
    public static final int ABNORMAL_CLOSURE = 1006;

    /** Answers a request received from the server. */
    @FunctionalInterface
    public interface RequestHandler {
        /**
         * @return the full text of the response to send, or {@code null} to send nothing (yet)
         */
        String respond(SipMessage request);
    }

    /** How the connection ended: the close code and reason, or 1006 with the error for an abnormal end. */
    public record CloseStatus(int code, String reason, Throwable error) {
    }

    /** Answers MESSAGE and OPTIONS with 200 OK, ignores other requests. */
    public static final RequestHandler DEFAULT_HANDLER = request ->
            "MESSAGE".equals(request.method()) || "OPTIONS".equals(request.method())
                    ? SipResponses.responseTo(request, 200, "OK")
                    : null;

    private static final boolean TRACE = Boolean.getBoolean("webims.it.sipTrace");

    private final Object lock = new Object();
    private final Object sendLock = new Object();
    private final List<String> allFrames = new ArrayList<>();
    private final List<String> pendingFrames = new ArrayList<>();
    private final List<SipMessage> allMessages = new ArrayList<>();
    private final List<SipMessage> pendingMessages = new ArrayList<>();
    private final List<SipMessage> receivedRequests = new CopyOnWriteArrayList<>();
    private int pongs;
    private CloseStatus closeStatus;

    private volatile WebSocket webSocket;
    private volatile RequestHandler requestHandler = DEFAULT_HANDLER;
    private volatile Duration timeout = DEFAULT_TIMEOUT;
    private volatile SipRequestFactory factory;
    private volatile String password;

    private WsSipClient(SipClientIdentity identity) {
        this.factory = new SipRequestFactory(identity);
        this.password = identity.password();
    }

    /**
     * Opens a WebSocket to {@code uri} as {@link SipClientIdentity#alice()}.
     *
     * @param origin       the Origin header to send, or null to send none
     * @param subprotocols the subprotocols to offer (e.g. {@code "sip"}); none to offer none
     * @throws HandshakeFailedException if the connection cannot be opened (with the HTTP status if any)
     */
    public static WsSipClient connect(URI uri, String origin, String... subprotocols) {
        return connect(uri, origin, SipClientIdentity.alice(), subprotocols);
    }

    /** As {@link #connect(URI, String, String...)} with another identity. */
    public static WsSipClient connect(URI uri, String origin, SipClientIdentity identity, String... subprotocols) {
        Objects.requireNonNull(uri, "uri");
        WsSipClient client = new WsSipClient(identity);
        HttpClient.Builder httpBuilder = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT);
        if ("wss".equalsIgnoreCase(uri.getScheme())) {
            httpBuilder.sslContext(TestTls.trustingEveryCertificate()); // the test server's self-signed key
        }
        HttpClient http = httpBuilder.build();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(DEFAULT_TIMEOUT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        if (subprotocols != null && subprotocols.length > 0) {
            String[] rest = new String[subprotocols.length - 1];
            System.arraycopy(subprotocols, 1, rest, 0, rest.length);
            builder.subprotocols(subprotocols[0], rest);
        }
        CompletableFuture<WebSocket> opening = builder.buildAsync(uri, client.new Listener());
        try {
            client.webSocket = opening.get(DEFAULT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw handshakeFailure(uri, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            opening.cancel(true);
            throw new HandshakeFailedException("timed out opening " + uri, -1, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HandshakeFailedException("interrupted opening " + uri, -1, null, e);
        }
        client.trace("*** connected to " + uri + " subprotocol='" + client.webSocket.getSubprotocol() + "'");
        return client;
    }

    private static HandshakeFailedException handshakeFailure(URI uri, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebSocketHandshakeException) {
                HttpResponse<?> response = ((WebSocketHandshakeException) t).getResponse();
                if (response != null) {
                    return new HandshakeFailedException("WebSocket handshake to " + uri + " refused with HTTP "
                            + response.statusCode(), response.statusCode(), response.headers().map(), failure);
                }
            }
        }
        return new HandshakeFailedException("cannot open WebSocket to " + uri + ": " + failure, -1, null, failure);
    }

    // ---------------------------------------------------------------- settings and accessors

    /** The subprotocol the server selected, "" if none. */
    public String subprotocol() {
        return webSocket.getSubprotocol();
    }

    /** Sets the timeout of the waits that take none (default 5 s). */
    public WsSipClient withTimeout(Duration newTimeout) {
        this.timeout = Objects.requireNonNull(newTimeout);
        return this;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Replaces the handler of requests from the server; null restores {@link #DEFAULT_HANDLER}. */
    public WsSipClient setRequestHandler(RequestHandler handler) {
        this.requestHandler = handler == null ? DEFAULT_HANDLER : handler;
        return this;
    }

    public SipClientIdentity identity() {
        return factory.identity();
    }

    /** Switches identity: new Via host, Contact and REGISTER Call-ID, password of the new identity. */
    public WsSipClient setIdentity(SipClientIdentity identity) {
        this.factory = new SipRequestFactory(identity);
        this.password = identity.password();
        return this;
    }

    /** Goes back to a request writer this client had (same Contact, instance id and REGISTER Call-ID). */
    public WsSipClient useRequestFactory(SipRequestFactory earlier) {
        this.factory = Objects.requireNonNull(earlier);
        this.password = earlier.identity().password();
        return this;
    }

    /** Sets the password used to answer challenges from now on. */
    public WsSipClient setPassword(String newPassword) {
        this.password = Objects.requireNonNull(newPassword);
        return this;
    }

    /** The request writer (Via host, Contact, instance id, REGISTER Call-ID) of this client. */
    public SipRequestFactory requestFactory() {
        return factory;
    }

    /** Every request received from the server, in order (including ones already consumed by awaits). */
    public List<SipMessage> receivedRequests() {
        return List.copyOf(receivedRequests);
    }

    /** Every SIP message received, in order. */
    public List<SipMessage> receivedMessages() {
        synchronized (lock) {
            return List.copyOf(allMessages);
        }
    }

    /** Every raw frame received, in order. */
    public List<String> receivedFrames() {
        synchronized (lock) {
            return List.copyOf(allFrames);
        }
    }

    /** True while neither side has closed the connection. */
    public boolean isOpen() {
        WebSocket ws = webSocket;
        synchronized (lock) {
            if (closeStatus != null) {
                return false;
            }
        }
        return ws != null && !ws.isInputClosed() && !ws.isOutputClosed();
    }

    /** How the connection ended, or null while open. */
    public CloseStatus closeStatus() {
        synchronized (lock) {
            return closeStatus;
        }
    }

    // ---------------------------------------------------------------- sending

    /** Sends one text frame. */
    public void sendText(String text) {
        trace(">>> " + text);
        send(ws -> ws.sendText(text, true));
    }

    /** Sends one binary frame. */
    public void sendBinary(byte[] data) {
        trace(">>> [binary " + data.length + " bytes]");
        send(ws -> ws.sendBinary(ByteBuffer.wrap(data.clone()), true));
    }

    /** Sends a WebSocket Ping; see {@link #awaitPong}. */
    public void sendPing() {
        send(ws -> ws.sendPing(ByteBuffer.wrap("webims-ping".getBytes(StandardCharsets.US_ASCII))));
    }

    /** Sends the RFC 5626 double-CRLF keepalive ping as a text frame; the pong is a CRLF frame. */
    public void sendKeepAlive() {
        sendText("\r\n\r\n");
    }

    private void send(Function<WebSocket, CompletableFuture<WebSocket>> operation) {
        synchronized (sendLock) {
            try {
                operation.apply(webSocket).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof IOException ? new UncheckedIOException((IOException) cause)
                        : new UncheckedIOException(new IOException("send failed: " + cause, cause));
            } catch (TimeoutException e) {
                throw new UncheckedIOException(new IOException("send timed out after " + timeout, e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            }
        }
    }

    // ---------------------------------------------------------------- waiting

    /** Waits for and consumes the first received message matching; see {@link #awaitMessage(String, Predicate, Duration)}. */
    public SipMessage awaitMessage(Predicate<SipMessage> predicate, Duration wait) {
        return awaitMessage("a matching SIP message", predicate, wait);
    }

    /** As {@link #awaitMessage(Predicate, Duration)} with the default timeout. */
    public SipMessage awaitMessage(Predicate<SipMessage> predicate) {
        return awaitMessage(predicate, timeout);
    }

    /**
     * Waits for and consumes the first not yet consumed message (request or response) the predicate accepts;
     * a predicate throwing counts as not matching.
     *
     * @throws AssertionError on timeout, or if the connection closed without a match, listing all frames
     */
    public SipMessage awaitMessage(String description, Predicate<SipMessage> predicate, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (true) {
                for (Iterator<SipMessage> it = pendingMessages.iterator(); it.hasNext(); ) {
                    SipMessage m = it.next();
                    if (test(predicate, m)) {
                        it.remove();
                        return m;
                    }
                }
                waitOrFail(description, deadline, wait);
            }
        }
    }

    /**
     * Waits for and consumes the first not yet consumed raw frame (text, or binary as UTF-8) the predicate
     * accepts, e.g. {@code "\r\n"::equals} for a keepalive pong.
     *
     * @throws AssertionError on timeout or close without a match
     */
    public String awaitRawFrame(Predicate<String> predicate, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (true) {
                for (Iterator<String> it = pendingFrames.iterator(); it.hasNext(); ) {
                    String f = it.next();
                    if (test(predicate, f)) {
                        it.remove();
                        return f;
                    }
                }
                waitOrFail("a matching raw frame", deadline, wait);
            }
        }
    }

    /** Waits until at least one WebSocket Pong has been received. */
    public void awaitPong(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (pongs == 0) {
                waitOrFail("a WebSocket pong", deadline, wait);
            }
        }
    }

    /**
     * Waits until the connection is closed (by a close frame, an error or {@link #abort()}).
     *
     * @throws AssertionError if it is still open at the deadline
     */
    public CloseStatus awaitClose(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (closeStatus == null) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("connection still open after " + wait + describeReceived());
                }
                timedWait(remaining);
            }
            return closeStatus;
        }
    }

    /** Holding {@link #lock}: waits a bit, or fails if closed or past the deadline. */
    private void waitOrFail(String description, long deadline, Duration wait) {
        if (closeStatus != null) {
            throw new AssertionError("connection closed (" + closeStatus.code() + " " + closeStatus.reason()
                    + (closeStatus.error() != null ? ", " + closeStatus.error() : "")
                    + ") while waiting for " + description + describeReceived());
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new AssertionError("timed out after " + wait + " waiting for " + description + describeReceived());
        }
        timedWait(remaining);
    }

    private void timedWait(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(lock, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    private static <T> boolean test(Predicate<T> predicate, T value) {
        try {
            return predicate.test(value);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Holding {@link #lock}: all frames received so far, for failure messages. */
    private String describeReceived() {
        StringBuilder sb = new StringBuilder("; received ").append(allFrames.size()).append(" frame(s)");
        int i = 0;
        for (String f : allFrames) {
            String shown = f.length() > 2000 ? f.substring(0, 2000) + "...[truncated]" : f;
            sb.append("\n---- frame ").append(++i).append(" ----\n")
                    .append(shown.replace("\r\n", "\n").replace("\r", "\\r"));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- SIP transactions

    /** Sends raw SIP text and waits (default timeout) for the final response with the same Call-ID and CSeq. */
    public SipMessage request(String rawSipText) {
        return request(rawSipText, timeout);
    }

    /**
     * Sends raw SIP text unchanged and waits for the final (>= 200) response with the same Call-ID, CSeq
     * number and CSeq method; provisional responses of that transaction are dropped from the pending queue.
     * Not for ACK, which has no response (use {@link #sendText}).
     *
     * @throws IllegalArgumentException if the text does not parse as a SIP request
     * @throws AssertionError           if no final response arrives in time
     */
    public SipMessage request(String rawSipText, Duration wait) {
        SipMessage sent = SipMessage.parse(rawSipText);
        if (!sent.isRequest()) {
            throw new IllegalArgumentException("not a request: " + sent.startLine());
        }
        String callId = sent.callId();
        long cseq = sent.cseq();
        String cseqMethod = sent.cseqMethod();
        Predicate<SipMessage> sameTransaction = m -> m.isResponse()
                && Objects.equals(callId, m.callId()) && cseq == m.cseq() && Objects.equals(cseqMethod, m.cseqMethod());
        sendText(rawSipText);
        SipMessage response = awaitMessage("final response to " + cseq + " " + cseqMethod + " Call-ID " + callId,
                sameTransaction.and(SipMessage::isFinal), wait);
        synchronized (lock) {
            pendingMessages.removeIf(sameTransaction);
        }
        return response;
    }

    /** REGISTERs for {@code expires} seconds with the current password; see {@link #register(int, String)}. */
    public SipMessage register(int expires) {
        return register(expires, password);
    }

    /**
     * REGISTERs to {@code sip:<domain>} (client Call-ID, next CSeq) and answers one 401/407 Digest challenge
     * with this password (same Call-ID, CSeq + 1).
     *
     * @return the final response (a 401/407 again if the password is wrong)
     */
    public SipMessage register(int expires, String withPassword) {
        return register(expires, withPassword, List.of());
    }

    /** As {@link #register(int, String)}, with extra header lines (e.g. forged ones a gateway must not believe). */
    public SipMessage register(int expires, String withPassword, List<String> extraHeaders) {
        SipRequestFactory f = factory;
        String fromTag = SipRequestFactory.newTag();
        String extra = extraHeaders.stream().map(h -> h + "\r\n").collect(java.util.stream.Collectors.joining());
        SipMessage response = request(f.register(f.nextRegisterCseq(), fromTag, expires, null)
                .replace("Content-Length:", extra + "Content-Length:"), timeout);
        String auth = answerChallenge(response, "REGISTER", f.identity().registrarUri(), withPassword);
        if (auth != null) {
            response = request(f.register(f.nextRegisterCseq(), fromTag, expires, auth)
                    .replace("Content-Length:", extra + "Content-Length:"), timeout);
        }
        return response;
    }

    /** De-REGISTERs this client's contact (Expires: 0, contact expires=0). */
    public SipMessage unregister() {
        return register(0, password);
    }

    /** Sends an out-of-dialog MESSAGE (text/plain) and returns its final response, answering one challenge. */
    public SipMessage sendMessage(String targetUri, String text) {
        SipRequestFactory f = factory;
        String callId = SipRequestFactory.newCallId();
        String fromTag = SipRequestFactory.newTag();
        long cseq = SipRequestFactory.newCseq();
        SipMessage response = request(f.message(targetUri, callId, cseq, fromTag, text, null), timeout);
        String auth = answerChallenge(response, "MESSAGE", targetUri, password);
        if (auth != null) {
            response = request(f.message(targetUri, callId, cseq + 1, fromTag, text, auth), timeout);
        }
        return response;
    }

    /** Sends an out-of-dialog OPTIONS and returns its final response, answering one challenge. */
    public SipMessage sendOptions(String targetUri) {
        SipRequestFactory f = factory;
        String callId = SipRequestFactory.newCallId();
        String fromTag = SipRequestFactory.newTag();
        long cseq = SipRequestFactory.newCseq();
        SipMessage response = request(f.options(targetUri, callId, cseq, fromTag, null), timeout);
        String auth = answerChallenge(response, "OPTIONS", targetUri, password);
        if (auth != null) {
            response = request(f.options(targetUri, callId, cseq + 1, fromTag, auth), timeout);
        }
        return response;
    }

    /**
     * The {@code Authorization:} (for 401) or {@code Proxy-Authorization:} (for 407) line answering the first
     * answerable Digest challenge of the response, or null if it is not a challenge or none can be answered.
     */
    private String answerChallenge(SipMessage response, String method, String digestUri, String withPassword) {
        String challengeHeader;
        String answerHeader;
        if (response.status() == 401) {
            challengeHeader = "WWW-Authenticate";
            answerHeader = "Authorization";
        } else if (response.status() == 407) {
            challengeHeader = "Proxy-Authenticate";
            answerHeader = "Proxy-Authorization";
        } else {
            return null;
        }
        for (String challenge : response.headers(challengeHeader)) {
            if (DigestAuth.canAnswer(challenge)) {
                return answerHeader + ": " + DigestAuth.authorization(challenge,
                        factory.identity().privateId(), withPassword, method, digestUri);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- closing

    /** Closes cleanly (1000) and waits briefly for the server's close; aborts if it does not come. Idempotent. */
    @Override
    public void close() {
        WebSocket ws = webSocket;
        if (ws == null) {
            return;
        }
        try {
            if (!ws.isOutputClosed()) {
                send(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, ""));
            }
            synchronized (lock) {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (closeStatus == null && deadline - System.nanoTime() > 0) {
                    timedWait(deadline - System.nanoTime());
                }
            }
        } catch (RuntimeException | AssertionError e) {
            trace("*** close failed: " + e);
        } finally {
            if (!ws.isInputClosed()) {
                abort();
            }
        }
    }

    /** Drops the connection abruptly, without a close frame. */
    public void abort() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
        recordClose(new CloseStatus(ABNORMAL_CLOSURE, "aborted locally", null));
    }

    private void recordClose(CloseStatus status) {
        synchronized (lock) {
            if (closeStatus == null) {
                closeStatus = status;
                trace("*** closed " + status);
            }
            lock.notifyAll();
        }
    }

    // ---------------------------------------------------------------- incoming

    private void onFrame(String frame) {
        trace("<<< " + frame);
        SipMessage message = null;
        if (!frame.isBlank()) {
            try {
                message = SipMessage.parse(frame);
            } catch (IllegalArgumentException e) {
                trace("*** unparsable frame: " + e.getMessage());
            }
        }
        synchronized (lock) {
            allFrames.add(frame);
            pendingFrames.add(frame);
            if (message != null) {
                allMessages.add(message);
                pendingMessages.add(message);
                if (message.isRequest()) {
                    receivedRequests.add(message);
                }
            }
            lock.notifyAll();
        }
        if (message != null && message.isRequest()) {
            try {
                String answer = requestHandler.respond(message);
                if (answer != null) {
                    sendText(answer);
                }
            } catch (RuntimeException e) {
                trace("*** request handler failed: " + e);
            }
        }
    }

    private static final java.util.regex.Pattern BEARER =
            java.util.regex.Pattern.compile("(?i)(Bearer\\s+)[A-Za-z0-9._~+/=-]+");

    private void trace(String line) {
        if (TRACE) {
            System.out.println(LocalTime.now() + " [WsSipClient " + factory.viaHost() + "] "
                    + BEARER.matcher(line.replace("\r\n", "\n")).replaceAll("$1[token]")); // no token in a log
        }
    }

    /** Receives WebSocket events; the JDK calls it sequentially. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket ws) {
            if (webSocket == null) {
                webSocket = ws; // a request may arrive before connect() returns
            }
            ws.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                onFrame(frame);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                String frame = binary.toString(StandardCharsets.UTF_8);
                binary.reset();
                onFrame(frame);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            synchronized (lock) {
                pongs++;
                lock.notifyAll();
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            recordClose(new CloseStatus(statusCode, reason, null));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            recordClose(new CloseStatus(ABNORMAL_CLOSURE, String.valueOf(error.getMessage()), error));
        }
    }
}

package org.webims.gateway.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One WebRTC-style SIP user agent over one WebSocket (RFC 7118), written like JsSIP: a {@code .invalid} Via host
 * with {@code SIP/2.0/WSS}, an outbound Contact ({@code ;transport=ws;ob}, {@code +sip.instance}, {@code reg-id=1}),
 * one REGISTER Call-ID for its life. Nothing blocks: every operation returns a {@link CompletableFuture} completed
 * from the WebSocket's listener, and a failure is a {@link SipFailure} naming its reason.
 *
 * <p>Client transactions are matched by the top Via branch of responses (RFC 3261 §17.1.3); requests from the
 * server are answered 200 (a BYE also ends the dialog it names).
 */
public final class SipClient {
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    static final String ALLOW = "INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY";
    /** {@code -Dbench.trace=true}: print every frame sent and received (troubleshooting at tiny loads only). */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");

    private final String user;
    private final String domain;
    private final String password;
    private final Duration timeout;
    private final String viaHost = random(8, "abcdefghijklmnopqrstuvwxyz") + ".invalid";
    private final String contactUri = "sip:" + random(8, ALNUM) + "@" + viaHost + ";transport=ws;ob";
    private final String instanceId = "urn:uuid:" + java.util.UUID.randomUUID();
    private final String registerCallId = random(22, ALNUM);
    private final AtomicLong registerCseq = new AtomicLong();
    private final Map<String, Transaction> transactions = new ConcurrentHashMap<>();
    private final Map<String, Dialog> dialogs = new ConcurrentHashMap<>();
    private final ArrayDeque<String> sendQueue = new ArrayDeque<>();
    private boolean sending; // guarded by sendQueue
    private volatile WebSocket webSocket;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> keepalive;

    private record Transaction(CompletableFuture<SipMessage> result, Consumer<SipMessage> provisional) {}

    /**
     * @param user     the user part of the public and private identity ({@code bench17}): public
     *                 {@code sip:bench17@domain}, private {@code bench17@domain}
     * @param timeout  how long any transaction may wait for its final response
     */
    public SipClient(String user, String domain, String password, Duration timeout) {
        this.user = user;
        this.domain = domain;
        this.password = password;
        this.timeout = timeout;
    }

    public String user() {
        return user;
    }

    public boolean isOpen() {
        return webSocket != null && !closed;
    }

    /** Opens the WebSocket with subprotocol {@code sip}; fails unless the server selects it. */
    public CompletableFuture<SipClient> connect(HttpClient http, URI uri, String origin) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout).subprotocols("sip");
        if (origin != null) {
            builder.header("Origin", origin);
        }
        return builder.buildAsync(uri, new Listener()).handle((ws, error) -> {
            if (error != null) {
                throw new SipFailure("connect failed: " + SipFailure.reasonOf(error));
            }
            if (!"sip".equals(ws.getSubprotocol())) {
                ws.abort();
                throw new SipFailure("subprotocol not selected");
            }
            webSocket = ws;
            return this;
        });
    }

    /** Sends a keepalive every {@code period} (first one at a random point of the first period). */
    public void startKeepalive(ScheduledExecutorService scheduler, Duration period, KeepaliveMode mode) {
        if (mode == KeepaliveMode.NONE) {
            return;
        }
        long periodMs = period.toMillis();
        keepalive = scheduler.scheduleAtFixedRate(() -> {
            WebSocket ws = webSocket;
            if (ws == null || closed) {
                return;
            }
            if (mode == KeepaliveMode.PING) {
                ws.sendPing(ByteBuffer.wrap(new byte[] {'k', 'a'}));
            } else {
                send("\r\n\r\n"); // RFC 5626 §4.4.1 double CRLF
            }
        }, ThreadLocalRandom.current().nextLong(periodMs), periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * REGISTER (RFC 3261 §10) for {@code expires} seconds, answering one 401/407 Digest challenge with the same
     * Call-ID and the next CSeq. Completes with the last final response, whatever its status.
     */
    public CompletableFuture<SipMessage> register(int expires) {
        String fromTag = random(10, ALNUM);
        return request(registerText(fromTag, expires, null), null).thenCompose(response -> {
            int status = response.status();
            if (status != 401 && status != 407) {
                return CompletableFuture.completedFuture(response);
            }
            String challenge = response.header(status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate");
            if (challenge == null) {
                throw new SipFailure("status " + status + " without challenge");
            }
            String authorization = (status == 401 ? "Authorization: " : "Proxy-Authorization: ")
                    + Digest.authorization(challenge, user + "@" + domain, password, "REGISTER", "sip:" + domain);
            return request(registerText(fromTag, expires, authorization), null);
        });
    }

    /**
     * Sends an INVITE with this SDP offer to {@code target} and completes with the dialog once a 2xx has come and
     * been acknowledged; a non-2xx final response is acknowledged and fails it ("status 486").
     */
    public CompletableFuture<Dialog> invite(String target, String sdp, Consumer<SipMessage> provisional) {
        String callId = random(22, ALNUM);
        String fromTag = random(10, ALNUM);
        String branch = newBranch();
        String from = "<sip:" + user + "@" + domain + ">;tag=" + fromTag;
        String invite = new StringBuilder(2048)
                .append("INVITE ").append(target).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/WSS ").append(viaHost).append(";branch=").append(branch).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("To: <").append(target).append(">\r\n")
                .append("From: ").append(from).append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: 1 INVITE\r\n")
                .append("Contact: <").append(contactUri).append(">\r\n")
                .append("Allow: ").append(ALLOW).append("\r\n")
                .append("Supported: outbound\r\n")
                .append("User-Agent: webims-bench\r\n")
                .append("Content-Type: application/sdp\r\n")
                .append("Content-Length: ").append(sdp.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n")
                .append(sdp).toString();
        return request(invite, branch, provisional).thenApply(response -> {
            int status = response.status();
            if (status >= 300) {
                send(nonTwoHundredAck(target, callId, from, response, branch));
                throw SipFailure.ofStatus("status ", response);
            }
            String contact = response.header("Contact");
            if (contact == null) {
                throw new SipFailure("2xx without Contact");
            }
            List<String> routes = new ArrayList<>(response.headers("Record-Route"));
            Collections.reverse(routes); // RFC 3261 §12.1.2: the UAC's route set is the Record-Route reversed
            Dialog dialog = new Dialog(callId, from, response.header("To"), SipMessage.uriOf(contact), routes);
            dialogs.put(callId, dialog);
            send(dialog.request("ACK", 1, viaHost));
            return dialog;
        });
    }

    /** Sends BYE in the dialog; completes with the final response. Fails if the far end already hung up. */
    public CompletableFuture<SipMessage> bye(Dialog dialog) {
        if (dialogs.remove(dialog.callId()) == null) {
            return CompletableFuture.failedFuture(new SipFailure("call ended by the network"));
        }
        String bye = dialog.request("BYE", dialog.nextCseq(), viaHost);
        return request(bye, SipMessage.parse(bye).topViaBranch(), null);
    }

    /** Live dialogs of this client. */
    public int dialogCount() {
        return dialogs.size();
    }

    /** Closes the WebSocket (1000) without waiting; pending transactions fail with "connection closed". */
    public void close() {
        ScheduledFuture<?> k = keepalive;
        if (k != null) {
            k.cancel(false);
        }
        WebSocket ws = webSocket;
        if (ws != null && !closed) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS)
                    .whenComplete((w, e) -> ws.abort());
        }
        onClosed();
    }

    // ------------------------------------------------------------------------------------------ transactions

    private CompletableFuture<SipMessage> request(String text, Consumer<SipMessage> provisional) {
        return request(text, SipMessage.parse(text).topViaBranch(), provisional);
    }

    private CompletableFuture<SipMessage> request(String text, String branch, Consumer<SipMessage> provisional) {
        CompletableFuture<SipMessage> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new SipFailure("connection closed"));
            return result;
        }
        transactions.put(branch, new Transaction(result, provisional));
        result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> transactions.remove(branch));
        send(text);
        return result;
    }

    private String registerText(String fromTag, int expires, String authorization) {
        String aor = "<sip:" + user + "@" + domain + ">";
        StringBuilder out = new StringBuilder(1024)
                .append("REGISTER sip:").append(domain).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/WSS ").append(viaHost).append(";branch=").append(newBranch()).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("To: ").append(aor).append("\r\n")
                .append("From: ").append(aor).append(";tag=").append(fromTag).append("\r\n")
                .append("Call-ID: ").append(registerCallId).append("\r\n")
                .append("CSeq: ").append(registerCseq.incrementAndGet()).append(" REGISTER\r\n");
        if (authorization != null) {
            out.append(authorization).append("\r\n");
        }
        return out.append("Contact: <").append(contactUri).append(">;+sip.instance=\"<").append(instanceId)
                .append(">\";reg-id=1;expires=").append(expires).append("\r\n")
                .append("Expires: ").append(expires).append("\r\n")
                .append("Allow: ").append(ALLOW).append("\r\n")
                .append("Supported: path, outbound, gruu\r\n")
                .append("User-Agent: webims-bench\r\n")
                .append("Content-Length: 0\r\n\r\n").toString();
    }

    /** RFC 3261 §17.1.1.3: the ACK of a non-2xx final response, in the INVITE's transaction. */
    private String nonTwoHundredAck(String target, String callId, String from, SipMessage response, String branch) {
        return "ACK " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS " + viaHost + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: " + response.header("To") + "\r\n"
                + "From: " + from + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 ACK\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    // ------------------------------------------------------------------------------------------ sending

    /** Sends one text frame; frames leave in order, one send in flight per WebSocket (java.net.http's rule). */
    private void send(String text) {
        if (TRACE) {
            System.out.println(">>> " + user + "\n" + text);
        }
        synchronized (sendQueue) {
            if (sending) {
                sendQueue.add(text);
                return;
            }
            sending = true;
        }
        sendNow(text);
    }

    private void sendNow(String text) {
        WebSocket ws = webSocket;
        if (ws == null || closed) {
            synchronized (sendQueue) {
                sendQueue.clear();
                sending = false;
            }
            return;
        }
        ws.sendText(text, true).whenComplete((w, error) -> {
            if (error != null) {
                onClosed();
            }
            String next;
            synchronized (sendQueue) {
                next = sendQueue.poll();
                if (next == null) {
                    sending = false;
                    return;
                }
            }
            sendNow(next);
        });
    }

    // ------------------------------------------------------------------------------------------ receiving

    private void onFrame(String frame) {
        if (TRACE) {
            System.out.println("<<< " + user + "\n" + frame);
        }
        if (frame.isBlank()) {
            return; // keepalive pong (RFC 5626 §4.4.1)
        }
        SipMessage message;
        try {
            message = SipMessage.parse(frame);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (message.isResponse()) {
            onResponse(message);
        } else {
            onRequest(message);
        }
    }

    private void onResponse(SipMessage response) {
        String branch = response.topViaBranch();
        Transaction tx = branch == null ? null : transactions.get(branch);
        if (tx == null) {
            // a retransmitted 2xx of an INVITE (RFC 3261 §13.2.2.4): acknowledge it again
            Dialog dialog = dialogs.get(String.valueOf(response.callId()));
            if (dialog != null && response.status() / 100 == 2 && "INVITE".equals(response.cseqMethod())) {
                send(dialog.request("ACK", 1, viaHost));
            }
            return;
        }
        if (response.status() < 200) {
            if (tx.provisional() != null) {
                tx.provisional().accept(response);
            }
            return;
        }
        tx.result().complete(response);
    }

    private void onRequest(SipMessage request) {
        String method = request.method();
        if ("ACK".equals(method)) {
            return;
        }
        if ("BYE".equals(method)) {
            dialogs.remove(String.valueOf(request.callId()));
        }
        int status = "INVITE".equals(method) ? 486 : 200;
        StringBuilder out = new StringBuilder(512).append("SIP/2.0 ").append(status)
                .append(status == 200 ? " OK" : " Busy Here").append("\r\n");
        for (String via : request.headers("Via")) {
            out.append("Via: ").append(via).append("\r\n");
        }
        String to = request.header("To");
        if (to != null && request.toTag() == null) {
            to = to + ";tag=" + random(10, ALNUM);
        }
        out.append("To: ").append(to).append("\r\n")
                .append("From: ").append(request.header("From")).append("\r\n")
                .append("Call-ID: ").append(request.callId()).append("\r\n")
                .append("CSeq: ").append(request.header("CSeq")).append("\r\n")
                .append("Content-Length: 0\r\n\r\n");
        send(out.toString());
    }

    private void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        ScheduledFuture<?> k = keepalive;
        if (k != null) {
            k.cancel(false);
        }
        SipFailure failure = new SipFailure("connection closed");
        for (Transaction tx : transactions.values()) {
            tx.result().completeExceptionally(failure);
        }
        dialogs.clear();
    }

    /** WebSocket events; java.net.http calls it sequentially per connection, on the client's executor. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (last && partial.length() == 0) {
                onFrame(data.toString());
            } else {
                partial.append(data);
                if (last) {
                    String frame = partial.toString();
                    partial.setLength(0);
                    onFrame(frame);
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            return onText(ws, new String(bytes, StandardCharsets.UTF_8), last);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            onClosed();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            onClosed();
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    static String newBranch() {
        return "z9hG4bK" + random(12, ALNUM);
    }

    static String random(int length, String alphabet) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(out);
    }

    /** How idle clients keep their connection (and the server's NAT binding) alive. */
    public enum KeepaliveMode {
        /** WebSocket Ping frames (RFC 6455 §5.5.2); the server's stack answers Pong. */
        PING,
        /** RFC 5626 §4.4.1 double-CRLF text frames, answered with a CRLF. */
        CRLF,
        NONE
    }
}

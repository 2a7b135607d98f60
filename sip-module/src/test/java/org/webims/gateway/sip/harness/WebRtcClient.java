package org.webims.gateway.sip.harness;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.webims.gateway.sip.flow.FlowSession;
import org.webims.gateway.sip.flow.WebSocketConnection;
import org.webims.gateway.sip.transport.WebSocketTransport;

/**
 * A WebRTC IMS client on an in-memory WebSocket connection: it writes SIP text into the gateway as the web module's
 * endpoint does, and keeps every message the gateway sends back, parsed by JAIN-SIP's own parser.
 */
final class WebRtcClient implements WebSocketConnection {
    private static final AtomicInteger PORTS = new AtomicInteger(40000);
    final String user;
    final String aor;
    private final String host = UUID.randomUUID().toString().substring(0, 8) + ".invalid";
    private final int port = PORTS.incrementAndGet();
    private final List<SIPMessage> received = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;
    private volatile java.util.function.Consumer<SIPMessage> onArrival = message -> { };
    private FlowSession session;
    private int cseq = 1;

    WebRtcClient(String user, String domain) {
        this.user = user;
        this.aor = "sip:" + user + "@" + domain;
    }

    WebRtcClient connect(WebSocketTransport transport) {
        session = transport.open(this);
        return this;
    }

    /** Sends one SIP message, written with CRLF line ends. */
    void send(String... lines) {
        session.onMessage(String.join("\r\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Runs {@code reply} on each message as it arrives, on the gateway's sending thread before its send returns: what
     * it sends reaches the gateway while the gateway is still sending (a fast peer on a loaded machine).
     */
    void onArrival(java.util.function.Consumer<SIPMessage> reply) {
        this.onArrival = reply;
    }

    List<SIPMessage> received() {
        return List.copyOf(received);
    }

    SIPResponse awaitResponse(String method, int status) {
        return (SIPResponse) Await.first(method + " " + status, this::received, m -> m instanceof SIPResponse r
                && r.getStatusCode() == status && method.equals(r.getCSeq().getMethod()));
    }

    SIPResponse awaitFinal(String method) {
        return (SIPResponse) Await.first("final answer to " + method, this::received, m -> m instanceof SIPResponse r
                && r.getStatusCode() >= 200 && method.equals(r.getCSeq().getMethod()));
    }

    SIPMessage awaitRequest(String method) {
        return Await.first(method, this::received, m -> m instanceof gov.nist.javax.sip.message.SIPRequest r
                && method.equals(r.getMethod()));
    }

    /** Answers a request the gateway sent, with our tag, Contact and an SDP body when given. */
    void answer(gov.nist.javax.sip.message.SIPRequest request, int status, String sdp) {
        SIPResponse response = request.createResponse(status);
        try {
            response.getTo().setTag("client-" + user);
            response.setHeader(new gov.nist.javax.sip.parser.ContactParser(contact() + "\n").parse());
            if (sdp != null) {
                response.setContent(sdp, new gov.nist.javax.sip.header.ContentType("application", "sdp"));
            }
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
        session.onMessage(response.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Places a call to another user of the test domain: its INVITE is sent. */
    ClientCall call(String user) {
        return new ClientCall(this, "sip:" + user + "@" + GatewayUnderTest.DOMAIN).invite();
    }

    String via(String branch) {
        return "Via: SIP/2.0/WS " + host + ";branch=z9hG4bK" + branch;
    }

    String contact() {
        return "Contact: <sip:" + user + "@" + host + ";transport=ws>";
    }

    synchronized int nextCseq() {
        return ++cseq;
    }

    /** The browser closes the connection. */
    void disconnect() {
        open = false;
        session.onClose("closed by the test");
    }

    @Override
    public String id() {
        return user;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public boolean secure() {
        return false;
    }

    @Override
    public void sendText(String text) {
        if (text.isBlank()) {
            return; // a keepalive pong
        }
        SIPMessage message;
        try {
            message = new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
        } catch (java.text.ParseException e) {
            throw new AssertionError("the gateway sent what JAIN-SIP cannot parse: " + text, e);
        }
        received.add(message);
        onArrival.accept(message);
    }

    @Override
    public void sendBinary(byte[] data) {
        sendText(new String(data, StandardCharsets.UTF_8));
    }

    @Override
    public void ping() {
    }

    @Override
    public void close(int code, String reason) {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}

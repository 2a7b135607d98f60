package org.webims.gateway.sip.harness;

import java.net.DatagramSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The IMS core and its phones in one real JAIN-SIP stack on 127.0.0.1: a registrar that answers every REGISTER 200
 * (Service-Route back to itself, the Path kept for terminating requests), and a UAS whose answer to each INVITE the
 * test decides ({@link #onInvite}). It keeps every request it received and every response to what it sent.
 */
final class FakeCore implements SipListener, AutoCloseable {
    final int port;
    private final SipStack stack;
    final SipProvider provider;
    final MessageFactory messages;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Response> responses = new CopyOnWriteArrayList<>();
    private final Map<String, ServerTransaction> invites = new ConcurrentHashMap<>();
    private final Map<String, String> pathByAor = new ConcurrentHashMap<>();
    private volatile InvitePlan plan = InvitePlan.ANSWER;
    /** The status the core answers a session refresh (UPDATE) with. */
    private volatile int updateStatus = 200;
    /** What the core does with the INVITE a CANCEL names: by default it is terminated (487). */
    private volatile InvitePlan onCancel = (core, invite) -> core.respond(invite, 487, "a", null);

    /** What the core does with an INVITE from the gateway: any mix of responses on its server transaction. */
    @FunctionalInterface
    interface InvitePlan {
        /** No answer at all, not even 100 Trying (no server transaction is made): the gateway's Timer B runs out. */
        InvitePlan SILENT = (core, st) -> { };
        InvitePlan ANSWER = (core, st) -> {
            core.respond(st, 180, "a", null);
            core.respond(st, 200, "a", FakeCore.SDP);
        };

        void handle(FakeCore core, ServerTransaction st) throws Exception;
    }

    static final String SDP = String.join("\r\n", "v=0", "o=phone 1 1 IN IP4 127.0.0.1", "s=-",
            "c=IN IP4 127.0.0.1", "t=0 0", "m=audio 20000 RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "") + "\r\n";

    FakeCore() throws Exception {
        try (DatagramSocket free = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties properties = new Properties();
        properties.setProperty("javax.sip.STACK_NAME", "fake-core-" + port);
        properties.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        properties.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "2");
        properties.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        stack = factory.createSipStack(properties);
        ListeningPoint udp = stack.createListeningPoint("127.0.0.1", port, "udp");
        provider = stack.createSipProvider(udp);
        provider.addSipListener(this);
        messages = factory.createMessageFactory();
        stack.start();
    }

    String uri() {
        return "sip:127.0.0.1:" + port + ";lr";
    }

    void onInvite(InvitePlan next) {
        plan = next;
    }

    void answerUpdatesWith(int status) {
        updateStatus = status;
    }

    void onCancel(InvitePlan next) {
        onCancel = next;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Response> responses() {
        return List.copyOf(responses);
    }

    Request awaitRequest(String method) {
        return Await.first(method + " at the core", this::requests, r -> method.equals(r.getMethod()));
    }

    /** The first 200 to an INVITE the core sent (a terminating call's answer from the gateway). */
    Response awaitInviteOk() {
        return Await.first("the 200 at the core", this::responses, r -> r.getStatusCode() == 200
                && Request.INVITE.equals(((javax.sip.header.CSeqHeader) r.getHeader("CSeq")).getMethod()));
    }

    long count(String method) {
        return requests().stream().filter(r -> method.equals(r.getMethod())).count();
    }

    /** A response on the INVITE's transaction with our To tag (distinct tags make forked early dialogs). */
    void respond(ServerTransaction st, int status, String toTag, String sdp) throws Exception {
        st.sendResponse(response(st.getRequest(), status, toTag, sdp));
    }

    /** A response with one more header line, e.g. {@code Session-Expires: 2;refresher=uac}. */
    void respond(ServerTransaction st, int status, String toTag, String sdp, String header) throws Exception {
        Response response = response(st.getRequest(), status, toTag, sdp);
        response.addHeader(SipFactory.getInstance().createHeaderFactory().createHeader(
                header.substring(0, header.indexOf(':')).trim(), header.substring(header.indexOf(':') + 1).trim()));
        st.sendResponse(response);
    }

    /** A 2xx sent outside the transaction, as a fork answers after another branch's 2xx ended it (RFC 3261 §13.2.2.4). */
    void respondStateless(Request invite, int status, String toTag, String sdp) throws Exception {
        provider.sendResponse(response(invite, status, toTag, sdp));
    }

    private Response response(Request request, int status, String toTag, String sdp) throws Exception {
        Response response = messages.createResponse(status, request);
        if (toTag != null) {
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(toTag);
        }
        if (status < 300 && status > 100) {
            response.addHeader(contactHeader());
        }
        if (sdp != null) {
            response.setContent(sdp, SipFactory.getInstance().createHeaderFactory()
                    .createContentTypeHeader("application", "sdp"));
        }
        return response;
    }

    private ContactHeader contactHeader() throws Exception {
        var factory = SipFactory.getInstance();
        return factory.createHeaderFactory().createContactHeader(factory.createAddressFactory()
                .createAddress("<sip:phone@127.0.0.1:" + port + ">"));
    }

    /** Sends a request written as text on a new client transaction (the stack routes it by Route or Request-URI). */
    ClientTransaction send(String text) throws Exception {
        ClientTransaction ct = provider.getNewClientTransaction(messages.createRequest(text));
        ct.sendRequest();
        return ct;
    }

    /** A request sent statelessly (an ACK). */
    void sendStateless(String text) throws Exception {
        provider.sendRequest(messages.createRequest(text));
    }

    /**
     * An INVITE from bob at the core to a client, along the Path its registration recorded (RFC 3327); without an
     * offer when {@code sdp} is null.
     */
    void invite(WebRtcClient client, String callId, String fromTag, String sdp) throws Exception {
        String body = sdp == null ? "" : sdp;
        send(String.join("\r\n", "INVITE " + client.aor + " SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bKterm" + System.nanoTime(),
                "Route: " + pathOf(client.aor), "Max-Forwards: 70", "From: <sip:bob@ims.test>;tag=" + fromTag,
                "To: <" + client.aor + ">", "Call-ID: " + callId, "CSeq: 1 INVITE",
                "Contact: <sip:bob@127.0.0.1:" + port + ">")
                + (sdp == null ? "" : "\r\nContent-Type: application/sdp")
                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    }

    /** The ACK of the gateway's 2xx to {@link #invite}, sent statelessly to its Contact, with an answer when given. */
    void ack(Response ok, String fromTag, String sdp) throws Exception {
        sendStateless(inDialog(Request.ACK, ok, fromTag, cseqOf(ok), sdp, "ack"));
    }

    /**
     * A re-INVITE in the dialog of the gateway's 2xx {@code ok} to {@link #invite}, to its Contact (RFC 3261 §12.2.1.1),
     * with CSeq {@code cseq}; without an offer when {@code sdp} is null.
     */
    ClientTransaction reinvite(Response ok, String fromTag, long cseq, String sdp) throws Exception {
        return send(inDialog(Request.INVITE, ok, fromTag, cseq, sdp, "reinv"));
    }

    /** A request in the dialog of the gateway's 2xx {@code ok}, to its Contact, with an SDP body when given. */
    private String inDialog(String method, Response ok, String fromTag, long cseq, String sdp, String branch) {
        String gatewayContact = ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI().toString();
        String toWithTag = ok.getHeader("To").toString().substring(3).trim();
        String callId = ((javax.sip.header.CallIdHeader) ok.getHeader("Call-ID")).getCallId();
        String body = sdp == null ? "" : sdp;
        return String.join("\r\n", method + " " + gatewayContact + " SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK" + branch + System.nanoTime(),
                "Max-Forwards: 70", "From: <sip:bob@ims.test>;tag=" + fromTag, "To: " + toWithTag,
                "Call-ID: " + callId, "CSeq: " + cseq + " " + method)
                + (Request.INVITE.equals(method) ? "\r\nContact: <sip:bob@127.0.0.1:" + port + ">" : "")
                + (sdp == null ? "" : "\r\nContent-Type: application/sdp")
                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static long cseqOf(Response response) {
        return ((javax.sip.header.CSeqHeader) response.getHeader("CSeq")).getSeqNumber();
    }

    /** The Path the client's registration recorded (RFC 3327), to reach it. */
    String pathOf(String aor) {
        Await.until("a registration of " + aor, () -> pathByAor.containsKey(aor));
        return pathByAor.get(aor);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        requests.add(request);
        try {
            if (Request.INVITE.equals(request.getMethod()) && plan == InvitePlan.SILENT) {
                return;
            }
            ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
                    : Request.ACK.equals(request.getMethod()) ? null : provider.getNewServerTransaction(request);
            switch (request.getMethod()) {
                case Request.REGISTER -> register(st, request);
                case Request.INVITE -> {
                    invites.put(callId(request), st);
                    plan.handle(this, st);
                }
                case Request.CANCEL -> {
                    st.sendResponse(messages.createResponse(200, request));
                    ServerTransaction invite = invites.get(callId(request));
                    if (invite != null && invite.getState() == javax.sip.TransactionState.PROCEEDING) {
                        onCancel.handle(this, invite);
                    }
                }
                case Request.ACK -> { }
                case Request.UPDATE -> st.sendResponse(messages.createResponse(updateStatus, request));
                default -> st.sendResponse(messages.createResponse(200, request));
            }
        } catch (Exception e) {
            throw new IllegalStateException("the fake core failed on " + request.getMethod(), e);
        }
    }

    private void register(ServerTransaction st, Request request) throws Exception {
        String aor = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
        var path = request.getHeader("Path");
        if (path != null) {
            pathByAor.put(aor, path.toString().substring(path.toString().indexOf(':') + 1).trim());
        }
        Response ok = messages.createResponse(200, request);
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("reg");
        ContactHeader contact = (ContactHeader) ((ContactHeader) request.getHeader(ContactHeader.NAME)).clone();
        contact.setExpires(600);
        ok.addHeader(contact);
        var headers = SipFactory.getInstance().createHeaderFactory();
        ok.addHeader(headers.createHeader("P-Associated-URI", "<" + aor + ">"));
        ok.addHeader(headers.createHeader("Service-Route", "<sip:orig@127.0.0.1:" + port + ";lr>"));
        st.sendResponse(ok);
    }

    private static String callId(Request request) {
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }

    @Override
    public void processResponse(ResponseEvent event) {
        responses.add(event.getResponse());
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    @Override
    public void close() {
        stack.stop();
    }
}

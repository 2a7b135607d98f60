package org.webims.gateway.it.client;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes client requests the way the JsSIP browser library does over SIP-over-WebSocket (RFC 7118):
 * a random {@code <8 letters>.invalid} host in Via ({@code SIP/2.0/WSS}) and Contact, a Contact with
 * {@code transport=ws;ob}, {@code +sip.instance} and {@code reg-id=1} (RFC 5626 outbound), Max-Forwards 70,
 * {@code Supported: path, outbound, gruu} on REGISTER, one REGISTER Call-ID for the life of the client
 * with an increasing CSeq, and fresh Call-IDs, tags and branches for out-of-dialog requests.
 *
 * <p>It only produces text (CRLF line ends, Content-Length in UTF-8 bytes); sending is
 * {@link WsSipClient}'s job. Tests may use it directly to craft variants.
 */
public final class SipRequestFactory {

    /** The methods advertised in Allow, as JsSIP does. */
    public static final String ALLOW = "INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY";
    public static final String USER_AGENT = "webims-it-client (JsSIP-like)";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SipClientIdentity identity;
    private final String viaHost;
    private final String contactUser;
    private final String instanceId;
    private final String registerCallId;
    private final AtomicLong registerCseq = new AtomicLong();

    public SipRequestFactory(SipClientIdentity identity) {
        this.identity = identity;
        this.viaHost = randomString("abcdefghijklmnopqrstuvwxyz", 8) + ".invalid";
        this.contactUser = randomString(ALNUM, 8);
        this.instanceId = "urn:uuid:" + UUID.randomUUID();
        this.registerCallId = randomString(ALNUM, 22);
    }

    public SipClientIdentity identity() {
        return identity;
    }

    /** The random {@code xxxxxxxx.invalid} host used in Via and Contact. */
    public String viaHost() {
        return viaHost;
    }

    /** The Contact URI, {@code sip:<rnd>@<host>.invalid;transport=ws;ob}. */
    public String contactUri() {
        return "sip:" + contactUser + "@" + viaHost + ";transport=ws;ob";
    }

    /** The {@code +sip.instance} value without quotes/brackets, {@code urn:uuid:...}. */
    public String instanceId() {
        return instanceId;
    }

    /** The Call-ID every REGISTER of this client uses. */
    public String registerCallId() {
        return registerCallId;
    }

    /** The next REGISTER CSeq (1, 2, 3, ...). */
    public long nextRegisterCseq() {
        return registerCseq.incrementAndGet();
    }

    /** A Contact header value with the outbound parameters and the given expires. */
    public String contactValue(int expires) {
        return "<" + contactUri() + ">;+sip.instance=\"<" + instanceId + ">\";reg-id=1;expires=" + expires;
    }

    /** {@code SIP/2.0/WSS <host>.invalid;branch=z9hG4bK<random>}. */
    public String viaValue() {
        return "SIP/2.0/WSS " + viaHost + ";branch=" + newBranch();
    }

    public static String newBranch() {
        return "z9hG4bK" + randomString(ALNUM, 10);
    }

    public static String newTag() {
        return randomString(ALNUM, 10);
    }

    public static String newCallId() {
        return randomString(ALNUM, 22);
    }

    /** A random out-of-dialog initial CSeq in 1..9999, as JsSIP picks it. */
    public static long newCseq() {
        return 1 + RANDOM.nextInt(9999);
    }

    /**
     * A REGISTER to {@code sip:<domain>} with the client's Call-ID.
     *
     * @param authorizationLine a full {@code Authorization: ...} line (no CRLF), or null
     */
    public String register(long cseq, String fromTag, int expires, String authorizationLine) {
        String aor = "<" + identity.publicId() + ">";
        StringBuilder out = new StringBuilder();
        out.append("REGISTER ").append(identity.registrarUri()).append(" SIP/2.0\r\n");
        out.append("Via: ").append(viaValue()).append("\r\n");
        out.append("Max-Forwards: 70\r\n");
        out.append("To: ").append(aor).append("\r\n");
        out.append("From: ").append(aor).append(";tag=").append(fromTag).append("\r\n");
        out.append("Call-ID: ").append(registerCallId).append("\r\n");
        out.append("CSeq: ").append(cseq).append(" REGISTER\r\n");
        if (authorizationLine != null) {
            out.append(authorizationLine).append("\r\n");
        }
        out.append("Contact: ").append(contactValue(expires)).append("\r\n");
        out.append("Expires: ").append(expires).append("\r\n");
        out.append("Allow: ").append(ALLOW).append("\r\n");
        out.append("Supported: path, outbound, gruu\r\n");
        out.append("User-Agent: ").append(USER_AGENT).append("\r\n");
        out.append("Content-Length: 0\r\n\r\n");
        return out.toString();
    }

    /** An out-of-dialog MESSAGE with a text/plain body. */
    public String message(String targetUri, String callId, long cseq, String fromTag, String text,
                          String authorizationLine) {
        return outOfDialog("MESSAGE", targetUri, callId, cseq, fromTag,
                authorizationLine == null ? List.of() : List.of(authorizationLine), "text/plain", text);
    }

    /** An out-of-dialog OPTIONS. */
    public String options(String targetUri, String callId, long cseq, String fromTag, String authorizationLine) {
        List<String> extra = authorizationLine == null
                ? List.of("Accept: application/sdp")
                : List.of(authorizationLine, "Accept: application/sdp");
        return outOfDialog("OPTIONS", targetUri, callId, cseq, fromTag, extra, null, null);
    }

    /**
     * Any out-of-dialog request from the client's public identity to {@code targetUri} (also the To URI).
     *
     * @param extraHeaders header lines ({@code "Name: value"}, no CRLF) placed after CSeq
     * @param contentType  Content-Type of the body, ignored when the body is null or empty
     */
    public String outOfDialog(String method, String targetUri, String callId, long cseq, String fromTag,
                              List<String> extraHeaders, String contentType, String body) {
        StringBuilder out = new StringBuilder();
        out.append(method).append(' ').append(targetUri).append(" SIP/2.0\r\n");
        out.append("Via: ").append(viaValue()).append("\r\n");
        out.append("Max-Forwards: 70\r\n");
        out.append("To: <").append(targetUri).append(">\r\n");
        out.append("From: <").append(identity.publicId()).append(">;tag=").append(fromTag).append("\r\n");
        out.append("Call-ID: ").append(callId).append("\r\n");
        out.append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n");
        for (String extra : extraHeaders) {
            out.append(extra).append("\r\n");
        }
        out.append("Allow: ").append(ALLOW).append("\r\n");
        out.append("Supported: outbound\r\n");
        out.append("User-Agent: ").append(USER_AGENT).append("\r\n");
        String content = body == null ? "" : body;
        if (!content.isEmpty() && contentType != null) {
            out.append("Content-Type: ").append(contentType).append("\r\n");
        }
        out.append("Content-Length: ").append(content.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        out.append("\r\n").append(content);
        return out.toString();
    }

    private static String randomString(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}

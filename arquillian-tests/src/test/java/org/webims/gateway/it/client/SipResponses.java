package org.webims.gateway.it.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the text of a SIP response to a request the test client received (RFC 3261 section 8.2.6):
 * copies every Via (in order), From, To (adding a To-tag if the request had none), Call-ID and CSeq,
 * plus Record-Route for dialog-creating methods, then optional extra header lines and body.
 */
public final class SipResponses {

    private SipResponses() {
    }

    /** A response without body; a random To-tag is added if the request's To has none. */
    public static String responseTo(SipMessage request, int code, String reason) {
        return responseTo(request, code, reason, List.of(), null, null);
    }

    /**
     * A response with extra header lines (each {@code "Name: value"}, without CRLF) and an optional body.
     *
     * @param contentType the Content-Type of the body, ignored if the body is null or empty
     */
    public static String responseTo(SipMessage request, int code, String reason, List<String> extraHeaders,
                                    String contentType, String body) {
        if (!request.isRequest()) {
            throw new IllegalArgumentException("not a request: " + request.startLine());
        }
        StringBuilder out = new StringBuilder();
        out.append("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
        for (SipMessage.Header h : request.headerLines()) {
            if (h.name().equalsIgnoreCase("Via")) {
                out.append("Via: ").append(h.value()).append("\r\n");
            }
        }
        if (isDialogCreating(request.method()) && code > 100 && code < 300) {
            for (SipMessage.Header h : request.headerLines()) {
                if (h.name().equalsIgnoreCase("Record-Route")) {
                    out.append("Record-Route: ").append(h.value()).append("\r\n");
                }
            }
        }
        out.append("From: ").append(nonNull(request.header("From"))).append("\r\n");
        String to = nonNull(request.header("To"));
        if (code > 100 && request.toTag() == null) {
            to = to + ";tag=" + randomTag();
        }
        out.append("To: ").append(to).append("\r\n");
        out.append("Call-ID: ").append(nonNull(request.callId())).append("\r\n");
        out.append("CSeq: ").append(nonNull(request.header("CSeq"))).append("\r\n");
        for (String extra : extraHeaders) {
            out.append(extra).append("\r\n");
        }
        String content = body == null ? "" : body;
        if (!content.isEmpty() && contentType != null) {
            out.append("Content-Type: ").append(contentType).append("\r\n");
        }
        out.append("Content-Length: ").append(content.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        out.append("\r\n").append(content);
        return out.toString();
    }

    private static boolean isDialogCreating(String method) {
        return "INVITE".equals(method) || "SUBSCRIBE".equals(method) || "REFER".equals(method);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String randomTag() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }
}

package org.webims.gateway.it.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable SIP message (RFC 3261) parsed from its text form, as a test reads what the gateway sent.
 *
 * <p>It keeps the start line (request: method and request-URI; response: status code and reason), the
 * header fields in their order, and the body. Header names are matched case-insensitively and compact
 * forms ({@code v, f, t, i, m, l, c, k, s, e, o, u, ...}) are stored under their full names.
 * {@link #headers(String)} splits comma-separated values only for header fields whose grammar allows it
 * safely (Via, Route, Contact, Supported, ...), never inside {@code <>} or quotes; other fields (e.g.
 * WWW-Authenticate, Date) are returned one value per header line.
 *
 * <p>Parsing is strict about the start line and the header syntax (garbage gives
 * {@link IllegalArgumentException}) but lenient about the body: a Content-Length shorter than the body
 * cuts it, a longer one is tolerated so a test can still look at the message.
 */
public final class SipMessage {

    /** One header field line: the (full-form) name as received and its unfolded value. */
    public record Header(String name, String value) {
    }

    private static final Map<String, String> COMPACT_FORMS = Map.ofEntries(
            Map.entry("v", "Via"),
            Map.entry("f", "From"),
            Map.entry("t", "To"),
            Map.entry("i", "Call-ID"),
            Map.entry("m", "Contact"),
            Map.entry("l", "Content-Length"),
            Map.entry("c", "Content-Type"),
            Map.entry("k", "Supported"),
            Map.entry("s", "Subject"),
            Map.entry("e", "Content-Encoding"),
            Map.entry("o", "Event"),
            Map.entry("u", "Allow-Events"),
            Map.entry("r", "Refer-To"),
            Map.entry("b", "Referred-By"),
            Map.entry("x", "Session-Expires"),
            Map.entry("a", "Accept-Contact"),
            Map.entry("j", "Reject-Contact"),
            Map.entry("d", "Request-Disposition"),
            Map.entry("y", "Identity"),
            Map.entry("n", "Identity-Info"));

    /** Lower-case names of header fields whose values may be split at top-level commas. */
    private static final Set<String> SPLITTABLE = Set.of(
            "via", "route", "record-route", "path", "service-route", "contact",
            "supported", "allow", "require", "proxy-require", "unsupported", "allow-events",
            "accept", "accept-encoding", "accept-language", "content-encoding", "content-language",
            "p-associated-uri", "p-asserted-identity", "p-preferred-identity", "p-called-party-id",
            "security-client", "security-server", "security-verify", "accept-contact", "reject-contact",
            "in-reply-to", "error-info", "alert-info", "call-info", "reason", "history-info");

    private static final Pattern STATUS_LINE = Pattern.compile("SIP/2\\.0 ([1-6][0-9]{2})(?: (.*))?");
    private static final Pattern REQUEST_LINE =
            Pattern.compile("([A-Za-z0-9.!%*_+`'~-]+) (\\S+) SIP/2\\.0");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]+");

    private final String text;
    private final String method;
    private final String requestUri;
    private final int status;
    private final String reason;
    private final List<Header> headerLines;
    private final String body;

    private SipMessage(String text, String method, String requestUri, int status, String reason,
                       List<Header> headerLines, String body) {
        this.text = text;
        this.method = method;
        this.requestUri = requestUri;
        this.status = status;
        this.reason = reason;
        this.headerLines = Collections.unmodifiableList(headerLines);
        this.body = body;
    }

    /**
     * Parses one SIP message. Lines may end in CRLF or bare LF; leading CRLFs (keepalives) are skipped.
     *
     * @throws IllegalArgumentException if the text is not a SIP request or response
     */
    public static SipMessage parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("null SIP message");
        }
        String s = text;
        int start = 0;
        while (start < s.length() && (s.charAt(start) == '\r' || s.charAt(start) == '\n')) {
            start++;
        }
        s = s.substring(start);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty SIP message");
        }

        String head;
        String rawBody;
        int crlf = s.indexOf("\r\n\r\n");
        int lf = s.indexOf("\n\n");
        if (crlf >= 0 && (lf < 0 || crlf < lf)) {
            head = s.substring(0, crlf);
            rawBody = s.substring(crlf + 4);
        } else if (lf >= 0) {
            head = s.substring(0, lf);
            rawBody = s.substring(lf + 2);
        } else {
            head = s;
            rawBody = "";
        }

        String[] lines = head.split("\r?\n", -1);
        String startLine = lines[0];
        String method = null;
        String requestUri = null;
        int status = 0;
        String reason = null;
        Matcher m = STATUS_LINE.matcher(startLine);
        if (m.matches()) {
            status = Integer.parseInt(m.group(1));
            reason = m.group(2) == null ? "" : m.group(2);
        } else {
            m = REQUEST_LINE.matcher(startLine);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a SIP start line: " + abbreviate(startLine));
            }
            method = m.group(1);
            requestUri = m.group(2);
        }

        List<Header> headers = new ArrayList<>();
        String name = null;
        StringBuilder value = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                throw new IllegalArgumentException("empty line inside SIP header section");
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (name == null) {
                    throw new IllegalArgumentException("continuation line before any header: " + abbreviate(line));
                }
                value.append(' ').append(line.strip());
                continue;
            }
            if (name != null) {
                headers.add(new Header(name, value.toString().strip()));
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed SIP header line: " + abbreviate(line));
            }
            String rawName = line.substring(0, colon).strip();
            if (!HEADER_NAME.matcher(rawName).matches()) {
                throw new IllegalArgumentException("malformed SIP header name: " + abbreviate(line));
            }
            name = fullName(rawName);
            value = new StringBuilder(line.substring(colon + 1));
        }
        if (name != null) {
            headers.add(new Header(name, value.toString().strip()));
        }

        String body = rawBody;
        String contentLength = firstRaw(headers, "content-length");
        if (contentLength != null) {
            int declared;
            try {
                declared = Integer.parseInt(contentLength.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad Content-Length: " + contentLength);
            }
            if (declared < 0) {
                throw new IllegalArgumentException("bad Content-Length: " + contentLength);
            }
            byte[] bytes = rawBody.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > declared) {
                body = new String(bytes, 0, declared, StandardCharsets.UTF_8);
            }
        }
        return new SipMessage(text, method, requestUri, status, reason, headers, body);
    }

    /** The full header name for a compact form, otherwise the name itself. */
    public static String fullName(String name) {
        if (name.length() == 1) {
            String full = COMPACT_FORMS.get(name.toLowerCase(Locale.ROOT));
            if (full != null) {
                return full;
            }
        }
        return name;
    }

    private static String firstRaw(List<Header> headers, String lowerName) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(lowerName)) {
                return h.value();
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /** True for a request, false for a response. */
    public boolean isRequest() {
        return method != null;
    }

    /** True for a response. */
    public boolean isResponse() {
        return method == null;
    }

    /** The request method, or {@code null} for a response (use {@link #cseqMethod()} there). */
    public String method() {
        return method;
    }

    /** The request-URI, or {@code null} for a response. */
    public String requestUri() {
        return requestUri;
    }

    /** The status code of a response, or 0 for a request. */
    public int status() {
        return status;
    }

    /** The reason phrase of a response (possibly empty), or {@code null} for a request. */
    public String reason() {
        return reason;
    }

    /** True for a response with a final (>= 200) status. */
    public boolean isFinal() {
        return method == null && status >= 200;
    }

    /** The header lines in order, with full names and unfolded, unsplit values. */
    public List<Header> headerLines() {
        return headerLines;
    }

    /** True if at least one header field with this name (or its compact form) is present. */
    public boolean hasHeader(String name) {
        String wanted = fullName(name);
        for (Header h : headerLines) {
            if (h.name().equalsIgnoreCase(wanted)) {
                return true;
            }
        }
        return false;
    }

    /**
     * All values of a header field in order; values of list-valued fields (Via, Route, Contact,
     * Supported, P-Associated-URI, ...) are split at commas outside {@code <>} and quotes. Empty list if absent.
     */
    public List<String> headers(String name) {
        String wanted = fullName(name);
        boolean split = SPLITTABLE.contains(wanted.toLowerCase(Locale.ROOT));
        List<String> values = new ArrayList<>();
        for (Header h : headerLines) {
            if (h.name().equalsIgnoreCase(wanted)) {
                if (split) {
                    values.addAll(splitTopLevel(h.value(), ','));
                } else {
                    values.add(h.value());
                }
            }
        }
        return Collections.unmodifiableList(values);
    }

    /** The first value of a header field (see {@link #headers(String)}), or {@code null} if absent. */
    public String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The body (empty string if none). */
    public String body() {
        return body;
    }

    /** The Call-ID, or {@code null}. */
    public String callId() {
        return header("Call-ID");
    }

    /** The CSeq sequence number, or -1 if the CSeq is missing or malformed. */
    public long cseq() {
        String cseq = header("CSeq");
        if (cseq == null) {
            return -1;
        }
        String[] parts = cseq.strip().split("\\s+");
        try {
            return Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The CSeq method, or {@code null} if the CSeq is missing or malformed. */
    public String cseqMethod() {
        String cseq = header("CSeq");
        if (cseq == null) {
            return null;
        }
        String[] parts = cseq.strip().split("\\s+");
        return parts.length >= 2 ? parts[1] : null;
    }

    /** The tag parameter of To, or {@code null}. */
    public String toTag() {
        return param(header("To"), "tag");
    }

    /** The tag parameter of From, or {@code null}. */
    public String fromTag() {
        return param(header("From"), "tag");
    }

    /** The branch parameter of the top Via, or {@code null}. */
    public String topViaBranch() {
        return param(header("Via"), "branch");
    }

    /**
     * A header parameter ({@code ;name=value}) of a single header value such as a To, Contact or Via value:
     * parameters after the {@code <...>} of a name-addr, or after the first {@code ;} otherwise (so URI
     * parameters inside {@code <>} are not header parameters). Matching is case-insensitive.
     *
     * @return the value with surrounding quotes removed, {@code ""} for a parameter without value, or
     *         {@code null} if the parameter (or the header value) is absent
     */
    public static String param(String headerValue, String name) {
        if (headerValue == null || name == null) {
            return null;
        }
        int paramsStart = -1;
        boolean inQuotes = false;
        for (int i = 0; i < headerValue.length(); i++) {
            char c = headerValue.charAt(i);
            if (inQuotes) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inQuotes = false;
                }
            } else if (c == '"') {
                inQuotes = true;
            } else if (c == '<') {
                int close = headerValue.indexOf('>', i);
                if (close < 0) {
                    return null;
                }
                i = close;
            } else if (c == ';') {
                paramsStart = i;
                break;
            }
        }
        if (paramsStart < 0) {
            return null;
        }
        for (String p : splitTopLevel(headerValue.substring(paramsStart + 1), ';')) {
            int eq = p.indexOf('=');
            String pName = (eq < 0 ? p : p.substring(0, eq)).strip();
            if (pName.equalsIgnoreCase(name)) {
                return eq < 0 ? "" : unquote(p.substring(eq + 1).strip());
            }
        }
        return null;
    }

    /** Removes surrounding double quotes and backslash escapes, if quoted. */
    static String unquote(String s) {
        if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() - 1) {
                    c = s.charAt(++i);
                }
                out.append(c);
            }
            return out.toString();
        }
        return s;
    }

    /** Splits at a separator outside quotes and {@code <>}; parts are trimmed, empty parts dropped. */
    static List<String> splitTopLevel(String value, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inQuotes = false;
        boolean inAngle = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (inQuotes) {
                current.append(c);
                if (c == '\\' && i + 1 < value.length()) {
                    current.append(value.charAt(++i));
                } else if (c == '"') {
                    inQuotes = false;
                }
                continue;
            }
            if (c == '"') {
                inQuotes = true;
            } else if (c == '<') {
                inAngle = true;
            } else if (c == '>') {
                inAngle = false;
            } else if (c == separator && !inAngle) {
                addPart(parts, current);
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        addPart(parts, current);
        return parts;
    }

    private static void addPart(List<String> parts, StringBuilder part) {
        String p = part.toString().strip();
        if (!p.isEmpty()) {
            parts.add(p);
        }
    }

    /** The first line: the request line or the status line. */
    public String startLine() {
        return isRequest() ? method + " " + requestUri + " SIP/2.0"
                : "SIP/2.0 " + status + (reason.isEmpty() ? "" : " " + reason);
    }

    /** The text the message was parsed from, unchanged. */
    @Override
    public String toString() {
        return text;
    }
}

package org.webims.gateway.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One SIP message as text (RFC 3261 §7), parsed just enough for a load generator: the start line, the headers in
 * order (compact forms expanded for the ones read here) and the body. Immutable.
 */
public final class SipMessage {
    private final String startLine;
    private final List<String[]> headers;
    private final String body;
    private final int status;

    private SipMessage(String startLine, List<String[]> headers, String body) {
        this.startLine = startLine;
        this.headers = headers;
        this.body = body;
        this.status = startLine.startsWith("SIP/2.0 ") ? parseStatus(startLine) : 0;
    }

    /**
     * Parses one message.
     *
     * @throws IllegalArgumentException when there is no start line or a header line has no colon
     */
    public static SipMessage parse(String text) {
        int headerEnd = text.indexOf("\r\n\r\n");
        String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
        String body = headerEnd < 0 ? "" : text.substring(headerEnd + 4);
        String[] lines = head.split("\r\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new IllegalArgumentException("no start line");
        }
        List<String[]> headers = new ArrayList<>(lines.length);
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) { // folded (RFC 3261 §7.3.1)
                String[] last = headers.get(headers.size() - 1);
                last[1] = last[1] + " " + line.strip();
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("header without colon: " + line);
            }
            headers.add(new String[] {expand(line.substring(0, colon).strip()), line.substring(colon + 1).strip()});
        }
        return new SipMessage(lines[0], headers, body);
    }

    public String startLine() {
        return startLine;
    }

    public boolean isResponse() {
        return status != 0;
    }

    public boolean isRequest() {
        return status == 0;
    }

    /** The status code of a response, 0 for a request. */
    public int status() {
        return status;
    }

    /** The method of a request, null for a response. */
    public String method() {
        return isRequest() ? startLine.substring(0, startLine.indexOf(' ')) : null;
    }

    /** The first value of a header (case-insensitive name, compact forms accepted), or null. */
    public String header(String name) {
        String wanted = expand(name);
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(wanted)) {
                return h[1];
            }
        }
        return null;
    }

    /** Every value of a header, comma-separated values of one line split (outside quotes and angle brackets). */
    public List<String> headers(String name) {
        String wanted = expand(name);
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(wanted)) {
                values.addAll(splitCommas(h[1]));
            }
        }
        return values;
    }

    public String body() {
        return body;
    }

    public String callId() {
        return header("Call-ID");
    }

    /** The CSeq method, e.g. "INVITE". */
    public String cseqMethod() {
        String cseq = header("CSeq");
        return cseq == null ? null : cseq.substring(cseq.indexOf(' ') + 1).strip();
    }

    /** The branch parameter of the top Via, or null. */
    public String topViaBranch() {
        String via = header("Via");
        if (via == null) {
            return null;
        }
        int comma = via.indexOf(',');
        return param(comma < 0 ? via : via.substring(0, comma), "branch");
    }

    /** The tag parameter of the To header, or null. */
    public String toTag() {
        String to = header("To");
        return to == null ? null : param(to.substring(Math.max(0, to.lastIndexOf('>'))), "tag");
    }

    /** The URI inside the first {@code <...>} of a name-addr value, or the value up to its first ';'. */
    public static String uriOf(String nameAddr) {
        int lt = nameAddr.indexOf('<');
        if (lt >= 0) {
            return nameAddr.substring(lt + 1, nameAddr.indexOf('>', lt));
        }
        int semi = nameAddr.indexOf(';');
        return (semi < 0 ? nameAddr : nameAddr.substring(0, semi)).strip();
    }

    /** A ;name=value parameter of a header value (case-insensitive name), or null. */
    static String param(String value, String name) {
        String lower = value.toLowerCase(Locale.ROOT);
        String key = ";" + name.toLowerCase(Locale.ROOT) + "=";
        int i = lower.indexOf(key);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        int end = start;
        while (end < value.length() && ";,> \t".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        return value.substring(start, end);
    }

    private static List<String> splitCommas(String value) {
        List<String> parts = new ArrayList<>();
        int depthAngle = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                depthAngle++;
            } else if (!quoted && c == '>') {
                depthAngle--;
            } else if (!quoted && depthAngle == 0 && c == ',') {
                parts.add(value.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(value.substring(start).strip());
        return parts;
    }

    private static int parseStatus(String line) {
        try {
            return Integer.parseInt(line.substring(8, 11));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad status line: " + line, e);
        }
    }

    private static String expand(String name) {
        if (name.length() != 1) {
            return name;
        }
        return switch (Character.toLowerCase(name.charAt(0))) {
            case 'v' -> "Via";
            case 'i' -> "Call-ID";
            case 'f' -> "From";
            case 't' -> "To";
            case 'm' -> "Contact";
            case 'l' -> "Content-Length";
            case 'c' -> "Content-Type";
            case 'k' -> "Supported";
            default -> name;
        };
    }

    @Override
    public String toString() {
        return startLine;
    }
}

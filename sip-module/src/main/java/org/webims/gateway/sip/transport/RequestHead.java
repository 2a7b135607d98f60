package org.webims.gateway.sip.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a request's raw header lines say, read without the SIP parser: the method, the lines a response copies (Via,
 * From, To, Call-ID, CSeq; RFC 3261 §8.2.6.2, compact forms included) and the few facts a door needs to tell new work
 * from work under way. For answers that must cost far less than the parse: a 400 for a request the parser gave up on
 * in a header a response needs, and a refusal under overload (issue 14: past capacity each REGISTER refused after the
 * full parse cost a quarter of a whole registration's CPU).
 *
 * <p>Every fact errs on the side of work under way: a To with anything like a tag counts as tagged, any
 * {@code response} parameter of Digest credentials as an answer to a challenge, a REGISTER as a possible
 * de-registration unless its lines rule it out. A door that refuses only what these facts call new work refuses
 * nothing the parsed request would have let through.
 */
public final class RequestHead {
    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Za-z][A-Za-z0-9.!%*_+`'~-]* \\S+ SIP/2\\.0");
    /** A copied line of more characters is not echoed (an answer built from the parse handles it, or nothing does). */
    private static final int MAX_COPIED_LINE = 2048;
    private static final Pattern EXPIRES_PARAMETER = Pattern.compile("(?i)expires\\s*=\\s*\"?([^;,\\s\"]*)");

    private final String method;
    private final List<String> copied;
    private final int toLine;
    private final boolean toTagged;
    private final boolean digestResponse;
    private final boolean surelyNotDeregistration;

    private RequestHead(String method, List<String> copied, int toLine, boolean toTagged, boolean digestResponse,
            boolean surelyNotDeregistration) {
        this.method = method;
        this.copied = copied;
        this.toLine = toLine;
        this.toTagged = toTagged;
        this.digestResponse = digestResponse;
        this.surelyNotDeregistration = surelyNotDeregistration;
    }

    /**
     * The head of a request that can be answered from its raw lines: a request line, and each of Via, From, To,
     * Call-ID and CSeq present, within {@value #MAX_COPIED_LINE} characters and free of control characters. Empty for
     * a response, garbage, or a request missing any of them. Where the parser could read the lines otherwise than
     * this does (a folded line: it joins without the space; a lone CR or LF: it ends a line there; a second To, From,
     * Call-ID or CSeq; a character beyond ASCII outside the copied lines: its equalsIgnoreCase takes "İ" for "i"),
     * every fact is in doubt and errs toward work under way.
     */
    public static Optional<RequestHead> read(byte[] data) {
        String head = new String(data, 0, headLength(data), StandardCharsets.UTF_8); // the body is no door's business
        List<String> lines = unfold(head);
        if (lines.isEmpty() || !REQUEST_LINE.matcher(lines.get(0)).matches()) {
            return Optional.empty();
        }
        String method = lines.get(0).substring(0, lines.get(0).indexOf(' '));
        boolean doubtful = head.contains("\r\n ") || head.contains("\r\n\t"); // RFC 3261 §7.3.1 folding
        List<String> copied = new ArrayList<>(6);
        int seen = 0;
        int toLine = -1;
        boolean toTagged = false;
        boolean digestResponse = false;
        int contacts = 0;
        boolean mayExpireContact = false;
        boolean expiresZeroOrBad = false;
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                doubtful |= hasControl(line);
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            int addressing = addressingHeader(name);
            if (addressing >= 0) {
                if (line.length() > MAX_COPIED_LINE || hasControl(line)) {
                    return Optional.empty();
                }
                if (addressing == TO) {
                    toLine = copied.size();
                    toTagged |= value.toLowerCase(Locale.ROOT).contains("tag"); // RFC 3261 §20.39, anywhere
                }
                doubtful |= addressing != VIA && (seen & 1 << addressing) != 0;
                copied.add(line);
                seen |= 1 << addressing;
                continue;
            }
            // a name or value beyond ASCII: the parser's equalsIgnoreCase takes "DİGEST" or "expireſ" for the words
            doubtful |= !plainAscii(line);
            switch (name) {
                case "authorization", "proxy-authorization" -> digestResponse |= digestWithResponse(value);
                case "contact", "m" -> {
                    contacts++;
                    mayExpireContact |= value.indexOf('*') >= 0 || mayExpire(value); // RFC 3261 §10.2.2 wildcard
                }
                case "expires" -> expiresZeroOrBad |= !positiveNumber(value);
                default -> { }
            }
        }
        if (seen != ALL_ADDRESSING) {
            return Optional.empty();
        }
        boolean surelyNotDeregistration = contacts > 0 && !mayExpireContact && !expiresZeroOrBad && !doubtful;
        return Optional.of(new RequestHead(method, List.copyOf(copied), toLine, toTagged || doubtful,
                digestResponse || doubtful, surelyNotDeregistration));
    }

    /** Up to the empty line that ends the headers (RFC 3261 §7), or all of it. */
    private static int headLength(byte[] data) {
        for (int i = 0; i + 3 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') {
                return i;
            }
        }
        return data.length;
    }

    public String method() {
        return method;
    }

    /** Whether To may carry a tag: a request within a dialog, or one whose To could not be told apart from one. */
    public boolean mayBeInDialog() {
        return toTagged;
    }

    /** Whether Authorization or Proxy-Authorization may hold Digest credentials with a response (RFC 3261 §22.2). */
    public boolean mayAnswerChallenge() {
        return digestResponse;
    }

    /**
     * Whether the lines rule out a de-registration (RFC 3261 §10.2.2): at least one Contact, none the wildcard or
     * with an {@code expires} parameter of zero (or one not read as a number), and Expires absent or a positive
     * number.
     */
    public boolean surelyNotDeregistration() {
        return surelyNotDeregistration;
    }

    /**
     * The response text (a reason phrase free of line ends is the caller's to give): the status line, the copied
     * lines in their order (To with {@code toTag} added when given), {@code extraHeaders} (whole lines without their
     * line end), no body.
     */
    public String response(int status, String reason, String toTag, List<String> extraHeaders) {
        StringBuilder out = new StringBuilder(512).append("SIP/2.0 ").append(status).append(' ').append(reason)
                .append("\r\n");
        for (int i = 0; i < copied.size(); i++) {
            out.append(copied.get(i));
            if (i == toLine && toTag != null) {
                out.append(";tag=").append(toTag); // RFC 3261 §8.2.6.2
            }
            out.append("\r\n");
        }
        extraHeaders.forEach(line -> out.append(line).append("\r\n"));
        return out.append("Content-Length: 0\r\n\r\n").toString();
    }

    private static final int VIA = 0;
    private static final int FROM = 1;
    private static final int TO = 2;
    private static final int CALL_ID = 3;
    private static final int CSEQ = 4;
    private static final int ALL_ADDRESSING = (1 << 5) - 1;

    private static int addressingHeader(String name) {
        return switch (name) {
            case "via", "v" -> VIA;
            case "from", "f" -> FROM;
            case "to", "t" -> TO;
            case "call-id", "i" -> CALL_ID;
            case "cseq" -> CSEQ;
            default -> -1;
        };
    }

    private static boolean digestWithResponse(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.startsWith("digest") && lower.contains("response");
    }

    /** A Contact whose {@code expires} parameter is zero or not plainly a number. */
    private static boolean mayExpire(String value) {
        var m = EXPIRES_PARAMETER.matcher(value);
        while (m.find()) {
            if (!positiveNumber(m.group(1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean positiveNumber(String value) {
        if (value.isEmpty() || value.length() > 10) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return Long.parseLong(value) > 0;
    }

    /** Header lines with continuation lines joined (RFC 3261 §7.3.1). */
    private static List<String> unfold(String head) {
        List<String> lines = new ArrayList<>(16);
        String pending = null;
        StringBuilder folded = null;
        int start = 0;
        while (start <= head.length()) {
            int end = head.indexOf("\r\n", start);
            String line = head.substring(start, end < 0 ? head.length() : end);
            if (pending != null && (line.startsWith(" ") || line.startsWith("\t"))) {
                folded = folded == null ? new StringBuilder(pending) : folded;
                folded.append(' ').append(line.strip());
            } else {
                if (pending != null) {
                    lines.add(folded == null ? pending : folded.toString());
                }
                pending = line;
                folded = null;
            }
            if (end < 0) {
                break;
            }
            start = end + 2;
        }
        if (pending != null) {
            lines.add(folded == null ? pending : folded.toString());
        }
        return lines;
    }

    /** Printable ASCII and tabs only: no control character, nothing the parser's equalsIgnoreCase could fold. */
    private static boolean plainAscii(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}

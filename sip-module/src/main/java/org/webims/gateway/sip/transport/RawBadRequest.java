package org.webims.gateway.sip.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A 400 for a request the parser gave up on in a header a response needs (a CSeq whose number is not a number,
 * say): the request line is still a request's, and the Via, From, To, Call-ID and CSeq lines are copied as they
 * came (RFC 3261 §8.2.6.2 copies them; the client matches the answer by the Via branch, §17.1.3).
 */
final class RawBadRequest {
    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Za-z][A-Za-z0-9.!%*_+`'~-]* \\S+ SIP/2\\.0");
    private static final Set<String> COPIED = Set.of("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq");
    private static final Set<String> NEEDED = Set.of("via", "from", "to", "call-id", "cseq");
    private static final int MAX_LINE = 2048;

    private RawBadRequest() {}

    /** The response text, or empty when the bytes are not a request that can be answered at all. */
    static Optional<String> answer(byte[] data, String problem) {
        String text = new String(data, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String head = end >= 0 ? text.substring(0, end) : text;
        List<String> lines = unfold(head);
        if (lines.isEmpty() || !REQUEST_LINE.matcher(lines.get(0)).matches() || lines.get(0).startsWith("ACK ")) {
            return Optional.empty(); // RFC 3261 §17.2.3: an ACK is never answered
        }
        List<String> copied = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (!COPIED.contains(name)) {
                continue;
            }
            if (line.length() > MAX_LINE || hasControl(line)) {
                return Optional.empty();
            }
            copied.add(line);
            seen.add(longName(name));
        }
        if (!seen.containsAll(NEEDED)) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder("SIP/2.0 400 Bad Request (")
                .append(InboundMessage.oneLine(problem)).append(")\r\n");
        copied.forEach(line -> out.append(line).append("\r\n"));
        return Optional.of(out.append("Content-Length: 0\r\n\r\n").toString());
    }

    /** Header lines with continuation lines joined (RFC 3261 §7.3.1). */
    private static List<String> unfold(String head) {
        List<String> lines = new ArrayList<>();
        for (String line : head.split("\r\n", -1)) {
            if (!lines.isEmpty() && (line.startsWith(" ") || line.startsWith("\t"))) {
                lines.set(lines.size() - 1, lines.get(lines.size() - 1) + " " + line.strip());
            } else {
                lines.add(line);
            }
        }
        return lines;
    }

    private static boolean hasControl(String line) {
        return line.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
    }

    private static String longName(String name) {
        return switch (name) {
            case "v" -> "via";
            case "f" -> "from";
            case "t" -> "to";
            case "i" -> "call-id";
            default -> name;
        };
    }
}

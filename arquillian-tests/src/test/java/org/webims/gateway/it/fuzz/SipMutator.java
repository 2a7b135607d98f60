package org.webims.gateway.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Damages a valid SIP message the way a hostile or broken client would: flipped bytes, header lines deleted,
 * duplicated or reordered, values replaced by boundary values (huge and negative numbers, empty, 10 kB strings,
 * unicode, NUL/CR/LF, {@code %00}), a damaged start line, a Content-Length that lies, truncation, SDP damage
 * (m-lines multiplied, bad ports and payload types), binary frames and random bytes.
 *
 * <p>Deterministic: the same message and the same {@link Random} state give the same input, so a run's seed
 * replays it. Inputs are capped at {@code maxBytes} (the gateway's 65535-byte message limit by default: what is
 * above it is another test's finding).
 */
public final class SipMutator {

    /** What can be done to a message; each input gets one to three of them. */
    public enum Mutation {
        BYTE_FLIP, HEADER_DELETE, HEADER_DUPLICATE, HEADER_REORDER, BOUNDARY_VALUE, BOUNDARY_NUMBER, START_LINE,
        CONTENT_LENGTH_LIE, TRUNCATE, SDP, LINE_ENDINGS, INJECT_LINE, BINARY_FRAME, RANDOM_BYTES
    }

    static final List<String> BOUNDARY_VALUES = List.of("", " ", "0", "-1", "-2147483649", "2147483648",
            "4294967296", "9223372036854775808", "99999999999999999999999999999999", "1e999", "0x7fffffff", "NaN",
            "%00", "\u0000", "a\u0000b", "\r\n", "\r", "\n", "\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKinj",
            "x".repeat(10_240), "\u00e4\u00f6\u00fc\u00df", "\u202e\u0645\u0631\u062d\u0628\u0627",
            "\ud83d\ude00".repeat(50), "\ufffd\ufeff", "<", ">", "<>", "\"", "\"unterminated", "\\", ";;;", ",,,",
            "sip:", "<sip:>", "sip:@", "sips:a@b:99999", "sip:x@[::1", "tel:+", "sip:" + "a".repeat(2000) + "@x",
            ";tag=" + "t".repeat(5000), "*", "%", "%zz", "${jndi:ldap://192.0.2.1/a}", "../../../../etc/passwd");
    static final List<String> BOUNDARY_NUMBERS = List.of("0", "-1", "-0", "+1", "1.5", "2147483647", "2147483648",
            "4294967295", "4294967296", "9223372036854775807", "9223372036854775808", "1" + "0".repeat(400),
            "00000000000000000000001", "", "0x10", "1 2", "\u0661\u0662");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)[ \\t]*:[ \\t]*([^\\r\\n]*?)[ \\t]*\\r?$");
    private static final Mutation[] ALL = Mutation.values();

    private final int maxBytes;

    public SipMutator(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Input {@code index} of a run: one to three mutations of {@code message} drawn from {@code random}. */
    public FuzzInput mutate(long index, String seedMethod, String message, Random random) {
        String text = message;
        byte[] raw = null;
        boolean binary = false;
        List<String> applied = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            Mutation mutation = ALL[random.nextInt(ALL.length)];
            applied.add(mutation.name());
            switch (mutation) {
                case BINARY_FRAME -> binary = true;
                case BYTE_FLIP, RANDOM_BYTES -> {
                    byte[] bytes = raw != null ? raw : text.getBytes(StandardCharsets.UTF_8);
                    raw = mutation == Mutation.BYTE_FLIP ? flip(bytes, random) : randomBytes(random);
                    text = new String(raw, StandardCharsets.UTF_8);
                }
                default -> {
                    text = apply(mutation, raw != null ? new String(raw, StandardCharsets.UTF_8) : text, random);
                    raw = null;
                }
            }
        }
        byte[] bytes = raw != null ? raw : text.getBytes(StandardCharsets.UTF_8);
        if (!binary && raw != null && !isUtf8(raw) && random.nextInt(4) > 0) {
            // invalid UTF-8 in a text frame only earns the RFC 6455 §8.1 close (1007): mostly send it as binary
            binary = true;
            applied.add("AS_BINARY");
        }
        if (bytes.length > maxBytes) {
            bytes = Arrays.copyOf(bytes, maxBytes);
            applied.add("CAPPED");
        }
        return new FuzzInput(index, bytes, binary, seedMethod, String.join("+", applied), callIdOf(bytes));
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** The first Call-ID value the input still carries, or null. */
    static String callIdOf(byte[] bytes) {
        Matcher m = CALL_ID.matcher(new String(bytes, StandardCharsets.UTF_8));
        return m.find() && !m.group(1).isEmpty() ? m.group(1) : null;
    }

    private String apply(Mutation mutation, String text, Random random) {
        int headEnd = text.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        String body = headEnd < 0 ? "" : text.substring(headEnd + 4);
        List<String> lines = new ArrayList<>(Arrays.asList(head.split("\r\n", -1)));
        switch (mutation) {
            case HEADER_DELETE -> {
                if (lines.size() > 1) {
                    lines.remove(1 + random.nextInt(lines.size() - 1));
                }
            }
            case HEADER_DUPLICATE -> {
                String line = lines.get(random.nextInt(lines.size()));
                int copies = random.nextInt(4) == 0 ? 1 + random.nextInt(200) : 1;
                for (int i = 0; i < copies; i++) {
                    lines.add(1 + random.nextInt(lines.size()), line);
                }
            }
            case HEADER_REORDER -> {
                if (lines.size() > 2) {
                    int a = 1 + random.nextInt(lines.size() - 1);
                    int b = random.nextInt(lines.size());
                    String swap = lines.get(a);
                    lines.set(a, lines.get(b));
                    lines.set(b, swap);
                }
            }
            case BOUNDARY_VALUE -> {
                int i = random.nextInt(lines.size());
                String line = lines.get(i);
                String value = pick(BOUNDARY_VALUES, random);
                int colon = line.indexOf(':');
                int cut = colon > 0 && i > 0 ? colon + 1 : random.nextInt(line.length() + 1);
                int from = random.nextBoolean() ? cut : cut + random.nextInt(Math.max(1, line.length() - cut + 1));
                from = Math.min(from, line.length());
                lines.set(i, random.nextBoolean() ? line.substring(0, from) + " " + value
                        : line.substring(0, from) + value + line.substring(from));
            }
            case BOUNDARY_NUMBER -> {
                int i = random.nextInt(lines.size());
                List<int[]> numbers = new ArrayList<>();
                Matcher m = NUMBER.matcher(lines.get(i));
                while (m.find()) {
                    numbers.add(new int[] {m.start(), m.end()});
                }
                if (!numbers.isEmpty()) {
                    int[] n = numbers.get(random.nextInt(numbers.size()));
                    String line = lines.get(i);
                    lines.set(i, line.substring(0, n[0]) + pick(BOUNDARY_NUMBERS, random) + line.substring(n[1]));
                }
            }
            case START_LINE -> lines.set(0, damageStartLine(lines.get(0), random));
            case CONTENT_LENGTH_LIE -> {
                String lie = pick(List.of("0", "1", "-1", "99999", "2147483648", "", "abc",
                        Integer.toString(body.length() + 1 + random.nextInt(100)),
                        Integer.toString(Math.max(0, body.length() - 1 - random.nextInt(50)))), random);
                lines.replaceAll(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15)
                        ? "Content-Length: " + lie : l);
            }
            case TRUNCATE -> {
                String whole = text;
                return whole.substring(0, random.nextInt(whole.length() + 1));
            }
            case SDP -> body = damageSdp(body, random);
            case LINE_ENDINGS -> {
                String sep = pick(List.of("\n", "\r", "\r\r\n", "\n\r", " \r\n", "\r\n\r\n"), random);
                return String.join(sep, lines) + "\r\n\r\n" + body;
            }
            case INJECT_LINE -> lines.add(1 + random.nextInt(lines.size()), pick(List.of(
                    "Route: <sip:192.0.2.66;lr>", "Record-Route: <sip:192.0.2.66;lr>", "Via: SIP/2.0/UDP 192.0.2.66",
                    "Path: <sip:192.0.2.66;lr>", "P-Asserted-Identity: <sip:admin@ims.example.test>",
                    "Require: " + "x".repeat(100), "Proxy-Require: foo", "Content-Encoding: gzip",
                    "Max-Forwards: 0", "Expires: -1", "Session-Expires: 1", "Min-SE: 2147483647",
                    " folded continuation", "\tfolded", "NoColonHere", ": no name", "X-" + "h".repeat(8000) + ": v",
                    "Content-Type: multipart/mixed;boundary=\"b\"", "Contact: *", "Contact: <sip:a@b>;expires=-5"),
                    random));
            default -> throw new IllegalStateException("not a text mutation: " + mutation);
        }
        return String.join("\r\n", lines) + "\r\n\r\n" + body;
    }

    private static String damageStartLine(String line, Random random) {
        String[] parts = line.split(" ", -1);
        return switch (random.nextInt(8)) {
            case 0 -> line.toLowerCase();
            case 1 -> parts.length > 2 ? parts[0] + " " + parts[1] + " SIP/" + pick(List.of("3.0", "2.1", "1.0",
                    "", "2.0.0", "99999999999.0"), random) : line + " X";
            case 2 -> parts.length > 1 ? pick(List.of("FOO", "", "INVITE\u0000", "G\u00c9T", "REGISTER REGISTER",
                    "X".repeat(1000), "SIP/2.0", "OPTIONS"), random) + line.substring(parts[0].length()) : line;
            case 3 -> parts.length > 2 ? parts[0] + " " + pick(List.of("", "<>", "sip:", "http://x/", "sip:a b@c",
                    "sip:x@127.0.0.1:5999", "sip:x@[::1]:0", "tel:" + "9".repeat(500), "sip:%00@x",
                    "sip:x@" + "h".repeat(3000)), random) + " " + parts[parts.length - 1] : line;
            case 4 -> line.replace(" ", "  ");
            case 5 -> line.replace(" ", "\t");
            case 6 -> "SIP/2.0 200 OK";
            default -> "";
        };
    }

    private static String damageSdp(String body, Random random) {
        if (!body.contains("m=")) {
            return body + "v=0\r\nm=audio -1 RTP/AVP 999\r\n";
        }
        int m = body.indexOf("m=");
        String session = body.substring(0, m);
        String media = body.substring(m);
        return switch (random.nextInt(7)) {
            case 0 -> session + media.repeat(2 + random.nextInt(7)); // a few m-lines: 40 or more is a known finding
            case 1 -> body.replaceFirst("m=audio \\d+", "m=audio " + pick(List.of("-1", "0", "65536", "99999999999",
                    "1/2", "abc", ""), random));
            case 2 -> body.replaceFirst("(m=audio \\S+ \\S+) [^\\r\\n]*", "$1 " + pick(List.of("", "128", "-1",
                    "999999", "a b c", "0 ".repeat(200)), random));
            case 3 -> body.replaceFirst("c=IN IP4 [^\\r\\n]*", pick(List.of("c=IN IP6 ::::::", "c=IN IP4 999.1.1.1",
                    "c=", "c=IN IP4 224.0.0.1/300", "c=XX YY ZZ"), random));
            case 4 -> body.replaceAll("a=(ice-ufrag|ice-pwd|fingerprint|setup)[^\\r\\n]*\\r\\n", "");
            case 5 -> body.replace("v=0", pick(List.of("v=1", "", "v=0\r\nv=0"), random));
            default -> body.replace("a=rtpmap:111 opus/48000/2",
                    "a=rtpmap:111 opus/" + pick(BOUNDARY_NUMBERS, random) + "/2");
        };
    }

    private static byte[] flip(byte[] bytes, Random random) {
        byte[] out = bytes.clone();
        if (out.length == 0) {
            return out;
        }
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(out.length);
            out[at] = random.nextBoolean() ? (byte) (out[at] ^ (1 << random.nextInt(8))) : (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] randomBytes(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = random.nextInt(4) == 0 ? random.nextInt(8_000) : random.nextInt(200);
        for (int i = 0; i < length; i++) {
            out.write(random.nextInt(256));
        }
        return out.toByteArray();
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }
}

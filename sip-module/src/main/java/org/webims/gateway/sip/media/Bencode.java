package org.webims.gateway.sip.media;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bencode, the encoding of the rtpengine ng control protocol (BEP 3, "The BitTorrent Protocol Specification",
 * section bencoding): byte strings {@code 4:spam}, integers {@code i42e}, lists {@code l...e} and dictionaries
 * {@code d...e}.
 *
 * <p>Encoding takes {@link CharSequence} (written as UTF-8), {@code byte[]}, integral {@link Number}s, {@link List}s
 * and {@link Map}s with {@link CharSequence} keys, and writes dictionary keys sorted by their raw bytes as BEP 3
 * requires. Anything else (null, booleans, floating point) is rejected.
 *
 * <p>Decoding is strict and bounded, so a malformed reply is an error and never a hang or an allocation larger
 * than the input: no leading zeros or {@code -0} in integers, no leading zeros in string lengths, no length past
 * the end of the input, no duplicate dictionary keys, non-string keys, trailing bytes or nesting deeper than
 * {@value #MAX_DEPTH}. Key order is not enforced because rtpengine does not sort its replies (ng protocol
 * documentation: "The bencode standard's requirement that dictionary keys must be presented in the lexicographical
 * order is currently not honored"). Byte strings decode to {@link String} as UTF-8 (malformed sequences replaced),
 * since everything the ng protocol returns is text: SDP, tags, reasons. Decoded lists and maps are unmodifiable;
 * maps keep the order of the input.
 */
public final class Bencode {
    /** Deepest nesting accepted on decode and encode; ng documents nest three or four levels. */
    public static final int MAX_DEPTH = 32;
    /** Digits in a string length: enough for any datagram, short of int overflow. */
    private static final int MAX_LENGTH_DIGITS = 9;
    /** Digits of a long, without sign. */
    private static final int MAX_INTEGER_DIGITS = 19;

    private Bencode() {}

    public static byte[] encode(Object value) {
        return encode("", value);
    }

    /**
     * {@code prefix} as ASCII, then the encoded value, in one array: the ng protocol's cookie, a space and the
     * document are one datagram (written here once, not copied again; an encode is made per rtpengine command).
     */
    public static byte[] encode(String prefix, Object value) {
        Output out = new Output(512);
        out.ascii(prefix);
        write(out, value, 0);
        return out.toByteArray();
    }

    /** Decodes one complete document; the whole input must be that document. */
    public static Object decode(byte[] input) {
        return decode(input, 0, input.length);
    }

    /** Decodes one complete document occupying {@code input[offset, offset + length)}. */
    public static Object decode(byte[] input, int offset, int length) {
        Decoder decoder = new Decoder(input, offset, offset + length);
        Object value = decoder.value(0);
        if (decoder.pos != decoder.end) {
            throw new BencodeException("trailing bytes at offset " + (decoder.pos - offset));
        }
        return value;
    }

    /** Decodes a document that must be a dictionary, as every ng message is. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> decodeDictionary(byte[] input, int offset, int length) {
        Object value = decode(input, offset, length);
        if (!(value instanceof Map)) {
            throw new BencodeException("expected a dictionary, got " + kind(value));
        }
        return (Map<String, Object>) value;
    }

    private static void write(Output out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new BencodeException("nesting deeper than " + MAX_DEPTH + " (a cycle?)");
        }
        if (value instanceof CharSequence text) {
            writeBytes(out, text.toString().getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof byte[] bytes) {
            writeBytes(out, bytes);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            out.write('i');
            out.decimal(((Number) value).longValue());
            out.write('e');
        } else if (value instanceof List<?> list) {
            out.write('l');
            for (Object item : list) {
                write(out, item, depth + 1);
            }
            out.write('e');
        } else if (value instanceof Map<?, ?> map) {
            writeDictionary(out, map, depth);
        } else {
            throw new BencodeException("cannot bencode " + (value == null ? "null" : value.getClass().getName()));
        }
    }

    private static void writeDictionary(Output out, Map<?, ?> map, int depth) {
        @SuppressWarnings("unchecked")
        Map.Entry<?, ?>[] entries = map.entrySet().toArray(new Map.Entry[0]);
        for (Map.Entry<?, ?> e : entries) {
            if (!(e.getKey() instanceof CharSequence key)) {
                throw new BencodeException("dictionary key is not a string: " + e.getKey());
            }
            if (e.getValue() == null) {
                throw new BencodeException("null value for key " + key);
            }
        }
        // UTF-8's unsigned byte order is the order of code points (RFC 3629 §1): no key need be encoded to sort
        Arrays.sort(entries, (a, b) -> compareCodePoints(a.getKey().toString(), b.getKey().toString()));
        out.write('d');
        for (Map.Entry<?, ?> e : entries) {
            writeBytes(out, e.getKey().toString().getBytes(StandardCharsets.UTF_8));
            write(out, e.getValue(), depth + 1);
        }
        out.write('e');
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static void writeBytes(Output out, byte[] bytes) {
        out.decimal(bytes.length);
        out.write(':');
        out.write(bytes);
    }

    /** A growing byte array, unsynchronised (ByteArrayOutputStream locks on every write). */
    private static final class Output {
        private byte[] buf;
        private int count;

        Output(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }

        void write(int b) {
            room(1);
            buf[count++] = (byte) b;
        }

        void write(byte[] bytes) {
            room(bytes.length);
            System.arraycopy(bytes, 0, buf, count, bytes.length);
            count += bytes.length;
        }

        void ascii(String text) {
            room(text.length());
            for (int i = 0; i < text.length(); i++) {
                buf[count++] = (byte) text.charAt(i);
            }
        }

        void decimal(long value) {
            if (value < 0) {
                if (value == Long.MIN_VALUE) {
                    ascii(Long.toString(value));
                    return;
                }
                write('-');
                value = -value;
            }
            int digits = 1;
            for (long v = value; v >= 10; v /= 10) {
                digits++;
            }
            room(digits);
            for (int at = count + digits - 1; at >= count; at--) {
                buf[at] = (byte) ('0' + value % 10);
                value /= 10;
            }
            count += digits;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }
    }

    private static String kind(Object value) {
        return value instanceof String ? "a string" : value instanceof Long ? "an integer" : "a list";
    }

    /** A cursor over the input; every read is checked against {@link #end}. */
    private static final class Decoder {
        private final byte[] in;
        private final int start;
        private final int end;
        private int pos;

        Decoder(byte[] in, int offset, int end) {
            if (offset < 0 || end > in.length || offset > end) {
                throw new IndexOutOfBoundsException("bad range " + offset + ".." + end + " of " + in.length);
            }
            this.in = in;
            this.start = offset;
            this.end = end;
            this.pos = offset;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH);
            }
            byte b = peek();
            return switch (b) {
                case 'i' -> integer();
                case 'l' -> list(depth);
                case 'd' -> dictionary(depth);
                default -> {
                    if (b >= '0' && b <= '9') {
                        yield string();
                    }
                    throw error("unexpected byte 0x" + Integer.toHexString(b & 0xff));
                }
            };
        }

        private Long integer() {
            pos++; // 'i'
            int digitsStart = pos;
            boolean negative = pos < end && in[pos] == '-';
            if (negative) {
                pos++;
            }
            int first = pos;
            while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
                pos++;
            }
            int digits = pos - first;
            if (digits == 0) {
                throw error("integer without digits");
            }
            if (digits > 1 && in[first] == '0') {
                throw error("integer with a leading zero");
            }
            if (negative && in[first] == '0') {
                throw error("negative zero");
            }
            if (digits > MAX_INTEGER_DIGITS) {
                throw error("integer out of range");
            }
            expect('e', "integer not terminated by 'e'");
            String text = new String(in, digitsStart, pos - 1 - digitsStart, StandardCharsets.US_ASCII);
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw error("integer out of range");
            }
        }

        private String string() {
            int first = pos;
            while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
                pos++;
            }
            int digits = pos - first;
            if (digits > 1 && in[first] == '0') {
                throw error("string length with a leading zero");
            }
            if (digits > MAX_LENGTH_DIGITS) {
                throw error("string length out of range");
            }
            int length = Integer.parseInt(new String(in, first, digits, StandardCharsets.US_ASCII));
            expect(':', "string length not followed by ':'");
            if (length > end - pos) {
                throw error("string of " + length + " bytes runs past the end of the input");
            }
            String text = new String(in, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return text;
        }

        private List<Object> list(int depth) {
            pos++; // 'l'
            List<Object> items = new ArrayList<>();
            while (peek() != 'e') {
                items.add(value(depth + 1));
            }
            pos++;
            return Collections.unmodifiableList(items);
        }

        private Map<String, Object> dictionary(int depth) {
            pos++; // 'd'
            Map<String, Object> entries = new LinkedHashMap<>();
            while (peek() != 'e') {
                byte b = peek();
                if (b < '0' || b > '9') {
                    throw error("dictionary key is not a string");
                }
                String key = string();
                if (entries.containsKey(key)) {
                    throw error("duplicate dictionary key '" + key + "'");
                }
                if (pos >= end) {
                    throw error("dictionary key '" + key + "' without a value");
                }
                entries.put(key, value(depth + 1));
            }
            pos++;
            return Collections.unmodifiableMap(entries);
        }

        private byte peek() {
            if (pos >= end) {
                throw error("unexpected end of input");
            }
            return in[pos];
        }

        private void expect(char c, String message) {
            if (pos >= end || in[pos] != c) {
                throw error(message);
            }
            pos++;
        }

        private BencodeException error(String message) {
            return new BencodeException(message + " at offset " + (pos - start));
        }
    }
}

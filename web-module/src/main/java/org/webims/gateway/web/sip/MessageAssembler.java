package org.webims.gateway.web.sip;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Joins the parts of one WebSocket message (RFC 6455 §5.4: fragments, and the container's own chunks of a large
 * frame) and refuses to hold more than a hard cap: the part that would cross it throws, before it is copied, so one
 * connection never holds more than the cap however large the message it announces. After that it discards every
 * part (the connection is being closed). Not thread-safe: the container delivers one connection's parts one after
 * the other.
 */
final class MessageAssembler {
    /** The most UTF-8 bytes one UTF-16 char stands for (a surrogate pair: 4 bytes for 2 chars). */
    private static final int MAX_UTF8_PER_CHAR = 3;
    private final int maxBytes;
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private long bytes;
    private boolean discarding;

    /** Thrown for the part that takes a message over the cap; the assembler then holds and returns nothing more. */
    static final class MessageTooBig extends Exception {
        private final long atLeast;

        MessageTooBig(long atLeast) {
            super("message of at least " + atLeast + " bytes", null, false, false);
            this.atLeast = atLeast;
        }

        long atLeast() {
            return atLeast;
        }
    }

    MessageAssembler(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    int maxBytes() {
        return maxBytes;
    }

    /** One part of a text message; the whole message once its last part is in. */
    Optional<String> text(String part, boolean last) throws MessageTooBig {
        if (discarding) {
            return Optional.empty();
        }
        if (last && text.length() == 0 && bytes + MAX_UTF8_PER_CHAR * (long) part.length() <= maxBytes) {
            // a whole message in one part that fits even at 3 bytes a char: its exact length is not needed
            return Optional.of(part);
        }
        grow(utf8Length(part));
        if (!last) {
            text.append(part);
            return Optional.empty();
        }
        String whole = text.length() == 0 ? part : text.append(part).toString();
        reset();
        return Optional.of(whole);
    }

    /** One part of a binary message; the whole message once its last part is in. */
    Optional<byte[]> binary(ByteBuffer part, boolean last) throws MessageTooBig {
        if (discarding) {
            return Optional.empty();
        }
        grow(part.remaining());
        byte[] data = new byte[part.remaining()];
        part.get(data);
        if (!last) {
            binary.writeBytes(data);
            return Optional.empty();
        }
        byte[] whole = binary.size() == 0 ? data : append(data);
        reset();
        return Optional.of(whole);
    }

    private byte[] append(byte[] data) {
        binary.writeBytes(data);
        return binary.toByteArray();
    }

    private void grow(long partBytes) throws MessageTooBig {
        long total = bytes + partBytes;
        if (total > maxBytes) {
            reset();
            discarding = true;
            throw new MessageTooBig(total);
        }
        bytes = total;
    }

    private void reset() {
        bytes = 0;
        text.setLength(0);
        text.trimToSize();
        binary.reset();
    }

    /** The length of the text in UTF-8 (RFC 3629), as the client sent it; unpaired surrogates count as 3. */
    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}

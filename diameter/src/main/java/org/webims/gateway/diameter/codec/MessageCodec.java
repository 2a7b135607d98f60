package org.webims.gateway.diameter.codec;

import java.nio.ByteBuffer;

/**
 * Diameter messages to and from bytes (RFC 6733 §3): version 1, a 24-bit length covering header and AVPs, the
 * flags, the command code, Application-ID, Hop-by-Hop and End-to-End identifiers, then the AVPs. Messages longer than
 * {@link #MAX_LENGTH} are refused before any allocation: a peer cannot make the gateway buffer without bound.
 */
public final class MessageCodec {
    /** RFC 6733 §3: the header is 20 octets. */
    public static final int HEADER_LENGTH = 20;
    /** The largest message the gateway takes: far above any accounting or credit-control message it exchanges. */
    public static final int MAX_LENGTH = 64 * 1024;
    private static final int FLAG_REQUEST = 0x80;
    private static final int FLAG_PROXIABLE = 0x40;
    private static final int FLAG_ERROR = 0x20;
    private static final int FLAG_RETRANSMITTED = 0x10;

    private MessageCodec() {
    }

    public static byte[] encode(DiameterMessage message) {
        int length = HEADER_LENGTH + AvpCodec.encodedLength(message.avps());
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException(message + " would be " + length + " octets");
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.putInt((1 << 24) | length);
        int flags = (message.request() ? FLAG_REQUEST : 0) | (message.proxiable() ? FLAG_PROXIABLE : 0)
                | (message.error() ? FLAG_ERROR : 0) | (message.retransmitted() ? FLAG_RETRANSMITTED : 0);
        out.putInt((flags << 24) | message.commandCode());
        out.putInt((int) message.applicationId());
        out.putInt(message.hopByHop());
        out.putInt(message.endToEnd());
        message.avps().forEach(avp -> AvpCodec.write(avp, out));
        return out.array();
    }

    /**
     * The length a message announces in its first four octets (for framing a stream); {@link MalformedMessage} when
     * the version is not 1 or the length is impossible.
     */
    public static int announcedLength(ByteBuffer firstFour) throws MalformedMessage {
        int word = firstFour.getInt(firstFour.position());
        int version = word >>> 24;
        int length = word & 0xFF_FFFF;
        if (version != 1) {
            throw new MalformedMessage(ResultCode.UNSUPPORTED_VERSION, null, "version " + version);
        }
        if (length < HEADER_LENGTH || length % 4 != 0 || length > MAX_LENGTH) {
            throw new MalformedMessage(ResultCode.INVALID_MESSAGE_LENGTH, null, "length " + length);
        }
        return length;
    }

    public static DiameterMessage decode(byte[] bytes) throws MalformedMessage {
        if (bytes.length < HEADER_LENGTH) {
            throw new MalformedMessage(ResultCode.INVALID_MESSAGE_LENGTH, null, bytes.length + " octets");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int length = announcedLength(in);
        if (length != bytes.length) {
            throw new MalformedMessage(ResultCode.INVALID_MESSAGE_LENGTH, null, "says " + length + " octets, has "
                    + bytes.length);
        }
        in.getInt();
        int flagsAndCode = in.getInt();
        int flags = flagsAndCode >>> 24;
        if ((flags & 0x0F) != 0) {
            throw new MalformedMessage(ResultCode.INVALID_HDR_BITS, null, "reserved header bits set"); // §3
        }
        boolean request = (flags & FLAG_REQUEST) != 0;
        boolean error = (flags & FLAG_ERROR) != 0;
        if (request && error) {
            throw new MalformedMessage(ResultCode.INVALID_HDR_BITS, null, "a request with the E bit"); // §3
        }
        long applicationId = Integer.toUnsignedLong(in.getInt());
        int hopByHop = in.getInt();
        int endToEnd = in.getInt();
        return new DiameterMessage(flagsAndCode & 0xFF_FFFF, request, (flags & FLAG_PROXIABLE) != 0, error,
                (flags & FLAG_RETRANSMITTED) != 0, applicationId, hopByHop, endToEnd, AvpCodec.decodeAll(in));
    }
}

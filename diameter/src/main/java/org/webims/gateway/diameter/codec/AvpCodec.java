package org.webims.gateway.diameter.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * AVPs on the wire (RFC 6733 §4.1): code (4), flags (1), length (3, header and data, without padding), Vendor-Id (4,
 * when V is set), data, padded with zeros to a multiple of four. Grouped AVPs nest at most {@link #MAX_DEPTH} deep:
 * a message cannot make the decoder recurse without bound.
 */
final class AvpCodec {
    private static final int HEADER = 8;
    private static final int VENDOR_HEADER = 12;

    private AvpCodec() {
    }

    static int encodedLength(Avp avp) {
        return pad(headerLength(avp) + avp.dataLength());
    }

    static int encodedLength(List<Avp> avps) {
        int total = 0;
        for (Avp avp : avps) {
            total += encodedLength(avp);
        }
        return total;
    }

    static byte[] encodeAll(List<Avp> avps) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(avps));
        avps.forEach(avp -> write(avp, out));
        return out.array();
    }

    static void write(Avp avp, ByteBuffer out) {
        int length = headerLength(avp) + avp.dataLength();
        if (length > 0xFF_FFFF) {
            throw new IllegalArgumentException(avp + " is longer than an AVP can be");
        }
        out.putInt(avp.code());
        int flags = (avp.vendorId() != 0 ? Avp.FLAG_VENDOR : 0) | (avp.mandatory() ? Avp.FLAG_MANDATORY : 0);
        out.putInt((flags << 24) | length);
        if (avp.vendorId() != 0) {
            out.putInt((int) avp.vendorId());
        }
        avp.writeData(out);
        for (int i = length; i < pad(length); i++) {
            out.put((byte) 0);
        }
    }

    /** The AVPs filling {@code in} from its position to its limit. */
    static List<Avp> decodeAll(ByteBuffer in) throws MalformedMessage {
        List<Avp> avps = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < HEADER) {
                throw new MalformedMessage(ResultCode.INVALID_MESSAGE_LENGTH, null, in.remaining()
                        + " octets left, too few for an AVP header");
            }
            int code = in.getInt();
            int flagsAndLength = in.getInt();
            int flags = flagsAndLength >>> 24;
            int length = flagsAndLength & 0xFF_FFFF;
            boolean vendor = (flags & Avp.FLAG_VENDOR) != 0;
            int header = vendor ? VENDOR_HEADER : HEADER;
            if (vendor && in.remaining() < 4) {
                throw new MalformedMessage(ResultCode.INVALID_MESSAGE_LENGTH, null, "AVP " + code
                        + " has the V bit but no Vendor-Id");
            }
            long vendorId = vendor ? Integer.toUnsignedLong(in.getInt()) : 0;
            Avp shell = Avp.of(code, vendorId, (flags & Avp.FLAG_MANDATORY) != 0, new byte[0]);
            if ((flags & 0x1F) != 0) {
                // RFC 6733 §4.1: the reserved bits are sent as zero
                throw new MalformedMessage(ResultCode.INVALID_AVP_BITS, shell, "AVP " + code + " has reserved flags set");
            }
            if (vendor && vendorId == 0) {
                throw new MalformedMessage(ResultCode.INVALID_AVP_BITS, shell, "AVP " + code + ": V bit with Vendor-Id 0");
            }
            int dataLength = length - header;
            if (dataLength < 0 || dataLength > in.remaining()) {
                throw new MalformedMessage(ResultCode.INVALID_AVP_LENGTH, shell, "AVP " + code + " says " + length
                        + " octets");
            }
            byte[] data = new byte[dataLength];
            in.get(data);
            int padding = pad(length) - length;
            if (in.remaining() < padding && in.hasRemaining()) {
                throw new MalformedMessage(ResultCode.INVALID_AVP_LENGTH, shell, "AVP " + code + " is not padded");
            }
            in.position(in.position() + Math.min(padding, in.remaining()));
            Avp avp = Avp.of(code, vendorId, (flags & Avp.FLAG_MANDATORY) != 0, data);
            avps.add(avp);
        }
        return avps;
    }

    private static int headerLength(Avp avp) {
        return avp.vendorId() != 0 ? VENDOR_HEADER : HEADER;
    }

    static int pad(int length) {
        return (length + 3) & ~3;
    }
}

package org.webims.gateway.diameter.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One Diameter AVP (RFC 6733 §4.1): code, the V(endor) and M(andatory) flags, a Vendor-Id when V is set, and its data
 * as bytes. Typed views follow the basic and derived formats of §4.2 and §4.3; a grouped AVP's data is its AVPs
 * (§4.4). An AVP the gateway does not know is kept as it came (its bytes) and re-encoded unchanged. Immutable.
 */
public final class Avp {
    /** RFC 6733 §4.1: AVP flag bits. */
    static final int FLAG_VENDOR = 0x80;
    static final int FLAG_MANDATORY = 0x40;
    static final int FLAG_PROTECTED = 0x20;
    /** RFC 6733 §4.3.1: seconds between 1900-01-01 (NTP era 0) and 1970-01-01. */
    private static final long NTP_TO_UNIX = 2_208_988_800L;

    private final int code;
    private final long vendorId;
    private final boolean mandatory;
    private final byte[] data;

    private Avp(int code, long vendorId, boolean mandatory, byte[] data) {
        if (vendorId < 0 || vendorId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a Vendor-Id is an Unsigned32: " + vendorId);
        }
        this.code = code;
        this.vendorId = vendorId;
        this.mandatory = mandatory;
        this.data = data;
    }

    /** An AVP with raw data; vendorId 0 means none (the V bit clear). */
    public static Avp of(int code, long vendorId, boolean mandatory, byte[] data) {
        return new Avp(code, vendorId, mandatory, data.clone());
    }

    public static Avp utf8(AvpCode code, String value) {
        return new Avp(code.code(), code.vendorId(), code.mandatory(), value.getBytes(StandardCharsets.UTF_8));
    }

    public static Avp octets(AvpCode code, byte[] value) {
        return new Avp(code.code(), code.vendorId(), code.mandatory(), value.clone());
    }

    public static Avp unsigned32(AvpCode code, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(code + " is an Unsigned32: " + value);
        }
        return new Avp(code.code(), code.vendorId(), code.mandatory(), ByteBuffer.allocate(4).putInt((int) value).array());
    }

    /** Integer32 and Enumerated (RFC 6733 §4.2, §4.3.1). */
    public static Avp integer32(AvpCode code, int value) {
        return new Avp(code.code(), code.vendorId(), code.mandatory(), ByteBuffer.allocate(4).putInt(value).array());
    }

    /** Unsigned64 (and Integer64): eight octets, network order. */
    public static Avp unsigned64(AvpCode code, long value) {
        return new Avp(code.code(), code.vendorId(), code.mandatory(), ByteBuffer.allocate(8).putLong(value).array());
    }

    /** Time (RFC 6733 §4.3.1): seconds since 1900-01-01 UTC in four octets (NTP format, era 0 and 1 wrap). */
    public static Avp time(AvpCode code, Instant value) {
        long ntp = value.getEpochSecond() + NTP_TO_UNIX;
        return new Avp(code.code(), code.vendorId(), code.mandatory(),
                ByteBuffer.allocate(4).putInt((int) ntp).array());
    }

    /** Address (RFC 6733 §4.3.1): a two-octet address family (1 IPv4, 2 IPv6, IANA) and the address. */
    public static Avp address(AvpCode code, InetAddress value) {
        byte[] raw = value.getAddress();
        ByteBuffer data = ByteBuffer.allocate(2 + raw.length).putShort((short) (raw.length == 4 ? 1 : 2)).put(raw);
        return new Avp(code.code(), code.vendorId(), code.mandatory(), data.array());
    }

    /** Grouped (RFC 6733 §4.4): the data is the members, each padded to four octets. */
    public static Avp grouped(AvpCode code, List<Avp> members) {
        return new Avp(code.code(), code.vendorId(), code.mandatory(), AvpCodec.encodeAll(members));
    }

    public int code() {
        return code;
    }

    /** The Vendor-Id, 0 when the V bit is clear. */
    public long vendorId() {
        return vendorId;
    }

    public boolean mandatory() {
        return mandatory;
    }

    public boolean is(AvpCode which) {
        return code == which.code() && vendorId == which.vendorId();
    }

    public byte[] data() {
        return data.clone();
    }

    int dataLength() {
        return data.length;
    }

    void writeData(ByteBuffer out) {
        out.put(data);
    }

    public String utf8() {
        return new String(data, StandardCharsets.UTF_8);
    }

    public long unsigned32() throws MalformedMessage {
        return Integer.toUnsignedLong(fixed(4).getInt());
    }

    public int integer32() throws MalformedMessage {
        return fixed(4).getInt();
    }

    public long unsigned64() throws MalformedMessage {
        return fixed(8).getLong();
    }

    public Instant time() throws MalformedMessage {
        long ntp = Integer.toUnsignedLong(fixed(4).getInt());
        // RFC 6733 §4.3.1 / RFC 5905: values with the top bit clear are in era 1 (from 2036-02-07)
        long era = (ntp & 0x8000_0000L) == 0 ? 1L << 32 : 0;
        return Instant.ofEpochSecond(ntp + era - NTP_TO_UNIX);
    }

    public InetAddress address() throws MalformedMessage {
        if (data.length != 6 && data.length != 18) {
            throw new MalformedMessage(ResultCode.INVALID_AVP_LENGTH, this, "an Address is 6 or 18 octets");
        }
        int family = ((data[0] & 0xff) << 8) | (data[1] & 0xff);
        if ((family == 1) != (data.length == 6) || (family != 1 && family != 2)) {
            throw new MalformedMessage(ResultCode.INVALID_AVP_VALUE, this, "address family " + family);
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(data, 2, data.length));
        } catch (UnknownHostException e) {
            throw new MalformedMessage(ResultCode.INVALID_AVP_VALUE, this, "not an address");
        }
    }

    /** The members of a grouped AVP. */
    public List<Avp> members() throws MalformedMessage {
        return AvpCodec.decodeAll(ByteBuffer.wrap(data));
    }

    private ByteBuffer fixed(int length) throws MalformedMessage {
        if (data.length != length) {
            throw new MalformedMessage(ResultCode.INVALID_AVP_LENGTH, this, "expected " + length + " octets, got "
                    + data.length);
        }
        return ByteBuffer.wrap(data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Avp avp && avp.code == code && avp.vendorId == vendorId
                && avp.mandatory == mandatory && Arrays.equals(avp.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, vendorId, mandatory, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Avp[" + code + (vendorId != 0 ? "/" + vendorId : "") + (mandatory ? " M" : "") + ", "
                + data.length + " octets]";
    }
}

package org.webims.gateway.diameter.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static DiameterMessage cer(List<Avp> avps) {
        return new DiameterMessage(DiameterMessage.CAPABILITIES_EXCHANGE, true, false, false, false, 0, 0x11223344,
                0x55667788, avps);
    }

    /** RFC 6733 §3 and §4.1 laid out by hand: header, then Origin-Host "gw" (M, padded from 10 to 12 octets). */
    @Test
    void aRequestIsLaidOutAsTheRfcDrawsIt() {
        byte[] bytes = MessageCodec.encode(cer(List.of(Avp.utf8(AvpCode.ORIGIN_HOST, "gw"))));
        assertEquals("01" + "000020" // version 1, length 32 = 20 + 12
                + "80" + "000101" // R, Capabilities-Exchange 257
                + "00000000" + "11223344" + "55667788" // Application-ID 0, hop-by-hop, end-to-end
                + "00000108" + "40" + "00000a" + "6777" + "0000", // code 264, M, length 10, "gw", 2 octets padding
                HEX.formatHex(bytes));
    }

    @Test
    void aVendorSpecificAvpCarriesItsVendorIdAndTheVBit() throws Exception {
        Avp icid = Avp.utf8(new AvpCode("IMS-Charging-Identifier", 841, AvpCode.VENDOR_3GPP, true), "abc");
        byte[] bytes = MessageCodec.encode(cer(List.of(icid)));
        assertEquals("00000349" + "c0" + "00000f" + "000028af" + "616263" + "00", HEX.formatHex(bytes, 20, 36),
                "code 841, V and M, length 15 = 12 + 3, vendor 10415, 'abc', one octet of padding");
        assertEquals(icid, MessageCodec.decode(bytes).avps().get(0));
    }

    @Test
    void everyFieldSurvivesARoundTripAndUnknownAvpsAreKeptAsTheyCame() throws Exception {
        Avp unknown = Avp.of(99_999, 12_345, false, new byte[] {1, 2, 3, 4, 5});
        Avp grouped = Avp.grouped(AvpCode.MULTIPLE_SERVICES_CREDIT_CONTROL, List.of(
                Avp.grouped(AvpCode.REQUESTED_SERVICE_UNIT, List.of(Avp.unsigned32(AvpCode.CC_TIME, 60))),
                unknown));
        DiameterMessage ccr = new DiameterMessage(DiameterMessage.CREDIT_CONTROL, true, true, false, true, 4,
                -1, 7, List.of(Avp.utf8(AvpCode.SESSION_ID, "gw;1;2"), Avp.integer32(AvpCode.CC_REQUEST_TYPE, 1),
                        Avp.unsigned64(AvpCode.ACCOUNTING_RECORD_NUMBER, 1L << 40), grouped, unknown));
        DiameterMessage decoded = MessageCodec.decode(MessageCodec.encode(ccr));
        assertEquals(ccr, decoded);
        assertEquals(0xFFFF_FFFFL, Integer.toUnsignedLong(decoded.hopByHop()));
        assertTrue(decoded.retransmitted() && decoded.proxiable() && decoded.request());
        Avp rsu = decoded.first(AvpCode.MULTIPLE_SERVICES_CREDIT_CONTROL).orElseThrow().members().get(0);
        assertEquals(60, rsu.members().get(0).unsigned32());
        assertEquals(unknown, decoded.first(AvpCode.MULTIPLE_SERVICES_CREDIT_CONTROL).orElseThrow().members().get(1));
        assertEquals(1L << 40, decoded.first(AvpCode.ACCOUNTING_RECORD_NUMBER).orElseThrow().unsigned64());
    }

    @Test
    void timesAreNtpSecondsAcrossTheEraOf2036() throws Exception {
        Instant now = Instant.parse("2026-12-03T09:00:00Z");
        Avp stamp = Avp.time(AvpCode.SIP_REQUEST_TIMESTAMP, now);
        assertEquals(now.getEpochSecond() + 2_208_988_800L, Integer.toUnsignedLong(ByteBuffer.wrap(stamp.data())
                .getInt()), "RFC 6733 §4.3.1: seconds since 1900");
        assertEquals(now, stamp.time());
        Instant later = Instant.parse("2040-01-01T00:00:00Z");
        assertEquals(later, Avp.time(AvpCode.SIP_REQUEST_TIMESTAMP, later).time(), "era 1 (RFC 5905 §6)");
    }

    @Test
    void addressesCarryTheirFamily() throws Exception {
        Avp v4 = Avp.address(AvpCode.HOST_IP_ADDRESS, InetAddress.getByName("127.0.0.1"));
        assertEquals("00017f000001", HEX.formatHex(v4.data()));
        assertEquals(InetAddress.getByName("127.0.0.1"), v4.address());
        Avp v6 = Avp.address(AvpCode.HOST_IP_ADDRESS, InetAddress.getByName("::1"));
        assertEquals(18, v6.data().length);
        assertEquals(InetAddress.getByName("::1"), v6.address());
        Avp wrong = Avp.of(257, 0, true, HEX.parseHex("00027f000001"));
        assertEquals(ResultCode.INVALID_AVP_VALUE, assertThrows(MalformedMessage.class, wrong::address).resultCode());
    }

    @Test
    void aRetransmissionSetsTheTFlagAndKeepsTheEndToEndIdentifier() throws Exception {
        DiameterMessage acr = new DiameterMessage(DiameterMessage.ACCOUNTING, true, true, false, false, 3, 1, 42,
                List.of(Avp.integer32(AvpCode.ACCOUNTING_RECORD_TYPE, 2)));
        DiameterMessage again = MessageCodec.decode(MessageCodec.encode(acr.retransmission().withHopByHop(2)));
        assertTrue(again.retransmitted());
        assertEquals(42, again.endToEnd(), "RFC 6733 §6.1.3: duplicates are found by End-to-End identifier");
        assertEquals(2, again.hopByHop());
        assertFalse(MessageCodec.decode(MessageCodec.encode(acr)).retransmitted());
    }

    private static int refusal(String hex) {
        return assertThrows(MalformedMessage.class, () -> MessageCodec.decode(HEX.parseHex(hex))).resultCode();
    }

    @Test
    void malformedMessagesAreRefusedWithTheResultCodeAnAnswerWouldCarry() {
        String header = "80000101" + "00000000" + "00000001" + "00000002";
        assertEquals(ResultCode.UNSUPPORTED_VERSION, refusal("02000014" + header));
        assertEquals(ResultCode.INVALID_MESSAGE_LENGTH, refusal("01000018" + header), "says 24, has 20");
        assertEquals(ResultCode.INVALID_MESSAGE_LENGTH, refusal("01000015" + header + "00"), "not a multiple of 4");
        assertEquals(ResultCode.INVALID_MESSAGE_LENGTH, refusal("0100000c" + "80000101" + "00000000"));
        assertEquals(ResultCode.INVALID_HDR_BITS, refusal("01000014" + "a0000101" + "00000000000000010000002"
                + "0"), "a request with the E bit");
        assertEquals(ResultCode.INVALID_HDR_BITS, refusal("01000014" + "81000101" + "000000000000000100000002"),
                "reserved bits");
        assertEquals(ResultCode.INVALID_AVP_LENGTH, refusal("0100001c" + header + "00000108" + "40000040"),
                "an AVP longer than the message");
        assertEquals(ResultCode.INVALID_AVP_LENGTH, refusal("0100001c" + header + "00000108" + "40000004"),
                "an AVP shorter than its header");
        assertEquals(ResultCode.INVALID_AVP_BITS, refusal("01000020" + header + "00000108" + "8000000c" + "00000000"),
                "the V bit with Vendor-Id 0");
        assertEquals(ResultCode.INVALID_AVP_BITS, refusal("0100001c" + header + "00000108" + "41000008"),
                "reserved AVP flags");
        assertEquals(ResultCode.INVALID_MESSAGE_LENGTH, refusal("01000018" + header + "00000108"),
                "a truncated AVP header");
    }

    @Test
    void framingRefusesImpossibleLengthsBeforeReadingThem() throws Exception {
        assertEquals(32, MessageCodec.announcedLength(ByteBuffer.wrap(HEX.parseHex("01000020"))));
        assertEquals(ResultCode.INVALID_MESSAGE_LENGTH, assertThrows(MalformedMessage.class,
                () -> MessageCodec.announcedLength(ByteBuffer.wrap(HEX.parseHex("01ffffff")))).resultCode(),
                "16 MB announced: refused, never allocated");
        assertEquals(ResultCode.UNSUPPORTED_VERSION, assertThrows(MalformedMessage.class,
                () -> MessageCodec.announcedLength(ByteBuffer.wrap(HEX.parseHex("16030100")))).resultCode(),
                "a TLS ClientHello on a plain Diameter port");
    }

    @Test
    void fixedLengthViewsCheckTheLength() {
        Avp short4 = Avp.of(415, 0, true, new byte[] {0, 1});
        assertEquals(ResultCode.INVALID_AVP_LENGTH,
                assertThrows(MalformedMessage.class, short4::unsigned32).resultCode());
        assertThrows(IllegalArgumentException.class, () -> Avp.unsigned32(AvpCode.CC_TIME, -1));
        assertThrows(IllegalArgumentException.class, () -> new DiameterMessage(257, true, false, true, false, 0, 0, 0,
                List.of()), "RFC 6733 §3: no E bit in a request");
        assertArrayEquals(new byte[] {0, 0, 0, 60}, Avp.unsigned32(AvpCode.CC_TIME, 60).data());
    }
}

package org.webims.gateway.sip.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BencodeTest {

    private static String encode(Object value) {
        return new String(Bencode.encode(value), StandardCharsets.UTF_8);
    }

    private static Object decode(String text) {
        return Bencode.decode(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodesTheNgPingExample() {
        assertEquals("d7:command4:pinge", encode(Map.of("command", "ping")));
        assertEquals(Map.of("result", "pong"), decode("d6:result4:ponge"));
    }

    @Test
    void encodesEachType() {
        assertEquals("4:spam", encode("spam"));
        assertEquals("0:", encode(""));
        assertEquals("3:abc", encode(new byte[] {'a', 'b', 'c'}));
        assertEquals("i42e", encode(42));
        assertEquals("i-7e", encode(-7L));
        assertEquals("i0e", encode(0));
        assertEquals("l4:spami1ee", encode(List.of("spam", 1)));
        assertEquals("le", encode(List.of()));
        assertEquals("de", encode(Map.of()));
    }

    @Test
    void stringLengthsCountUtf8Bytes() {
        assertEquals("2:\u00e9", encode("\u00e9"));
        assertEquals("\u00e9t\u00e9", decode("5:\u00e9t\u00e9"));
    }

    @Test
    void dictionaryKeysAreSortedByRawBytes() {
        Map<String, Object> unsorted = new LinkedHashMap<>();
        unsorted.put("sdp", "v=0");
        unsorted.put("call-id", "c1");
        unsorted.put("ICE", "remove");
        unsorted.put("from-tag", "a");
        assertEquals("d3:ICE6:remove7:call-id2:c18:from-tag1:a3:sdp3:v=0e", encode(unsorted));
    }

    @Test
    void roundTripsANestedNgRequest() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("command", "offer");
        request.put("call-id", "call-1");
        request.put("sdp", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n");
        request.put("rtcp-mux", List.of("offer", "require"));
        request.put("codec", Map.of("transcode", List.of("PCMU", "AMR-WB"), "mask", List.of("opus")));
        request.put("delete delay", 0L);
        request.put("limits", List.of(Long.MAX_VALUE, Long.MIN_VALUE, List.of(), Map.of()));
        Object decoded = Bencode.decode(Bencode.encode(request));
        assertEquals(request, decoded);
        assertArrayEquals(Bencode.encode(request), Bencode.encode(decoded));
    }

    @Test
    void decodingKeepsTheReplyOrderAndAcceptsUnsortedKeys() {
        // rtpengine does not sort the keys of its replies.
        Map<?, ?> reply = (Map<?, ?>) decode("d7:warning3:odd6:result2:oke");
        assertEquals(List.of("warning", "result"), new ArrayList<>(reply.keySet()));
    }

    @Test
    void decodedCollectionsAreUnmodifiable() {
        Map<?, ?> reply = (Map<?, ?>) decode("d1:ali1eee");
        assertThrows(UnsupportedOperationException.class, () -> reply.clear());
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) reply.get("a")).clear());
    }

    @Test
    void decodesAWindowOfABuffer() {
        byte[] datagram = "cookie d6:result2:oke".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Map.of("result", "ok"), Bencode.decodeDictionary(datagram, 7, datagram.length - 7));
    }

    @Test
    void decodeDictionaryRejectsOtherDocuments() {
        byte[] list = "le".getBytes(StandardCharsets.US_ASCII);
        assertThrows(BencodeException.class, () -> Bencode.decodeDictionary(list, 0, list.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "i", "ie", "i-e", "i03e", "i-0e", "i-03e", "i1", "i1x", "i12345678901234567890e", "i9223372036854775808e",
        "4:spa", "03:abc", "-1:a", "5", "5x", "9999999999:a", "99999999:a", "l", "li1e", "d", "d3:key", "d3:keye",
        "di1ei2ee", "dle1:ae", "d1:ai1e1:ai2ee", "i1ei2e", "de ", "x", "e", ":", "l:e"
    })
    void rejectsMalformedInput(String input) {
        BencodeException e = assertThrows(BencodeException.class, () -> decode(input));
        assertTrue(e.getMessage().contains("offset") || e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void rejectsDeepNestingWithoutOverflowingTheStack() {
        String bomb = "l".repeat(100_000) + "e".repeat(100_000);
        assertThrows(BencodeException.class, () -> decode(bomb));
        String ok = "l".repeat(Bencode.MAX_DEPTH) + "e".repeat(Bencode.MAX_DEPTH);
        assertTrue(decode(ok) instanceof List);
    }

    @Test
    void aHugeDeclaredLengthFailsWithoutAllocating() {
        byte[] tiny = "999999999:x".getBytes(StandardCharsets.US_ASCII);
        BencodeException e = assertThrows(BencodeException.class, () -> Bencode.decode(tiny));
        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
    }

    @Test
    void decodesBoundaryIntegers() {
        assertEquals(Long.MAX_VALUE, decode("i9223372036854775807e"));
        assertEquals(Long.MIN_VALUE, decode("i-9223372036854775808e"));
        assertEquals(0L, decode("i0e"));
    }

    @Test
    void encodesBoundaryIntegers() {
        assertEquals("i9223372036854775807e", encode(Long.MAX_VALUE));
        assertEquals("i-9223372036854775808e", encode(Long.MIN_VALUE));
        assertEquals("i-10e", encode(-10));
        assertEquals("i1000000e", encode(1_000_000));
    }

    @Test
    void keysBeyondTheBasicPlaneSortByTheirUtf8Bytes() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("\uD83D\uDE00", 1); // U+1F600, F0 9F 98 80: after U+FFFD although its first UTF-16 unit is lower
        keys.put("\uFFFD", 2); // EF BF BD
        keys.put("z", 3);
        assertEquals("d1:zi3e3:\uFFFDi2e4:\uD83D\uDE00i1ee", encode(keys));
    }

    @Test
    void framesAPrefixAndTheDocumentInOneArray() {
        assertEquals("5e1_7 d7:command4:pinge", new String(Bencode.encode("5e1_7 ", Map.of("command", "ping")),
                StandardCharsets.UTF_8));
    }

    @Test
    void refusesToEncodeWhatBencodeCannotCarry() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("sdp", null);
        assertThrows(BencodeException.class, () -> Bencode.encode(withNull));
        assertThrows(BencodeException.class, () -> Bencode.encode(null));
        assertThrows(BencodeException.class, () -> Bencode.encode(true));
        assertThrows(BencodeException.class, () -> Bencode.encode(1.5));
        assertThrows(BencodeException.class, () -> Bencode.encode(Map.of(1, "x")));
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThrows(BencodeException.class, () -> Bencode.encode(cycle));
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() {
        byte[] bytes = {'2', ':', (byte) 0xff, (byte) 0xfe};
        assertEquals("\ufffd\ufffd", Bencode.decode(bytes));
    }
}

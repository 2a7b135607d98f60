package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RawBadRequestTest {
    private static final String BAD_CSEQ = "OPTIONS sip:bob@ims.example.test SIP/2.0\r\n"
            + "Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK1\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:bob@ims.example.test>\r\n"
            + "f: <sip:alice@ims.example.test>;tag=1\r\n"
            + "Call-ID: c1\r\n"
            + "CSeq: one OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n";

    private static Optional<String> answer(String text) {
        return RawBadRequest.answer(text.getBytes(StandardCharsets.UTF_8), "missing or malformed CSeq header");
    }

    @Test
    void aRequestWithAnUnparseableCseqIsAnsweredWithItsOwnHeaderLines() {
        String response = answer(BAD_CSEQ).orElseThrow();
        assertTrue(response.startsWith("SIP/2.0 400 Bad Request (missing or malformed CSeq header)\r\n"), response);
        assertTrue(response.contains("\r\nVia: SIP/2.0/WSS abc.invalid;branch=z9hG4bK1\r\n"));
        assertTrue(response.contains("\r\nf: <sip:alice@ims.example.test>;tag=1\r\n"), "compact forms count");
        assertTrue(response.contains("\r\nCSeq: one OPTIONS\r\n"));
        assertFalse(response.contains("Max-Forwards"));
        assertTrue(response.endsWith("Content-Length: 0\r\n\r\n"));
    }

    @Test
    void anAckIsNeverAnswered() {
        assertEquals(Optional.empty(), answer(BAD_CSEQ.replace("OPTIONS sip", "ACK sip")));
    }

    @Test
    void withoutEveryAddressingHeaderThereIsNoAnswer() {
        assertEquals(Optional.empty(), answer(BAD_CSEQ.replace("Call-ID: c1\r\n", "")));
    }

    @Test
    void aResponseOrGarbageIsNotAnswered() {
        assertEquals(Optional.empty(), answer(BAD_CSEQ.replace("OPTIONS sip:bob@ims.example.test SIP/2.0",
                "SIP/2.0 200 OK")));
        assertEquals(Optional.empty(), answer("\u0001\u0002 not SIP"));
    }

    @Test
    void aCopiedLineWithControlCharactersIsNotEchoed() {
        assertEquals(Optional.empty(), answer(BAD_CSEQ.replace("tag=1", "tag=1\u0000x")));
    }
}

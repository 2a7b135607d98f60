package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InboundMessageTest {
    private static final String OPTIONS = "OPTIONS sip:ims.example.test SIP/2.0\r\n"
            + "Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK1\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:ims.example.test>\r\n"
            + "From: <sip:alice@ims.example.test>;tag=1\r\n"
            + "Call-ID: c1\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "%s"
            + "Content-Length: 0\r\n\r\n";

    private static InboundMessage parse(String text) {
        return InboundMessage.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aWellFormedRequestIsOk() {
        InboundMessage in = parse(OPTIONS.formatted(""));
        assertTrue(in.ok());
        assertNull(in.problem());
    }

    @Test
    void aMalformedHeaderIsAnswerableWithItsName() {
        InboundMessage in = parse(OPTIONS.formatted("Contact: <sip:broken@\r\n"));
        assertFalse(in.ok());
        assertTrue(in.answerable());
        assertTrue(in.problem().contains("Contact"), in.problem());
    }

    @Test
    void garbageIsNotAnswerable() {
        InboundMessage in = parse("\u0001\u0002 hello there, not SIP at all");
        assertFalse(in.ok());
        assertFalse(in.answerable());
    }

    @Test
    void aRequestWithoutCallIdIsNotAnswerable() {
        InboundMessage in = parse(OPTIONS.formatted("").replace("Call-ID: c1\r\n", ""));
        assertFalse(in.ok());
        assertFalse(in.answerable());
    }

    @Test
    void aRequestWithoutMaxForwardsIsAnswered() {
        InboundMessage in = parse(OPTIONS.formatted("").replace("Max-Forwards: 70\r\n", ""));
        assertFalse(in.ok());
        assertTrue(in.answerable());
    }

    @Test
    void reasonTextIsOneShortPrintableLine() {
        String line = InboundMessage.oneLine("bad\r\nContent-Type: x\u0000" + "y".repeat(200));
        assertFalse(line.contains("\r") || line.contains("\n") || line.contains("\u0000"));
        assertTrue(line.length() <= 80);
    }
}

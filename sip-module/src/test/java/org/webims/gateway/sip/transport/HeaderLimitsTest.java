package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderLimitsTest {
    private static final String OPTIONS = "OPTIONS sip:bob@ims.example.test SIP/2.0\r\n"
            + "Via: SIP/2.0/WSS %s;branch=z9hG4bK1\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:bob@ims.example.test>\r\n"
            + "From: <sip:alice@ims.example.test>;tag=1\r\n"
            + "Call-ID: c1\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "%s"
            + "Content-Length: 0\r\n\r\n";

    private static String over(String via, String extra) {
        return HeaderLimits.overLimit(OPTIONS.formatted(via, extra).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void ordinaryHeadersPass() {
        assertNull(over("abc.invalid", ""));
    }

    @Test
    void aLongViaIsNamed() {
        assertEquals("Via", over("a".repeat(4000) + ".invalid", ""));
    }

    @Test
    void foldedLinesCountAsOne() {
        assertEquals("Subject", over("abc.invalid", "Subject: x\r\n" + (" " + "y".repeat(100) + "\r\n").repeat(12)));
    }

    @Test
    void credentialsMayBeLongerButNotEndless() {
        assertNull(over("abc.invalid", "Authorization: Bearer " + "t".repeat(2000) + "\r\n"));
        assertEquals("Authorization", over("abc.invalid", "Authorization: Bearer " + "t".repeat(5000) + "\r\n"));
    }

    @Test
    void theLimitAppliesToTheLastHeaderAndToTheParsedMessage() {
        InboundMessage in = InboundMessage.parse(OPTIONS.formatted("abc.invalid", "X-Long: " + "z".repeat(2000)
                + "\r\n").getBytes(StandardCharsets.UTF_8));
        assertFalse(in.ok());
        assertTrue(in.answerable());
        assertTrue(in.problem().startsWith("X-Long header over"), in.problem());
    }
}

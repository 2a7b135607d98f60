package org.webims.gateway.sip.b2bua;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.media.Side;

/** RFC 3262 rules of {@link ReliableProvisionals} on messages parsed by JAIN-SIP. */
class ReliableProvisionalsTest {

    private static final String HEADERS = "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
            + "From: <sip:alice@ims.example.test>;tag=a1\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n";

    private static Object parse(String text) throws Exception {
        return new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    private static Response provisional(String branch, String extra) throws Exception {
        return (Response) parse("SIP/2.0 183 Session Progress\r\n" + HEADERS
                + "To: <sip:bob@ims.example.test>;tag=" + branch + "\r\n" + extra + "Content-Length: 0\r\n\r\n");
    }

    private static Request invite(String extra) throws Exception {
        return (Request) parse("INVITE sip:bob@ims.example.test SIP/2.0\r\n" + HEADERS
                + "To: <sip:bob@ims.example.test>\r\nMax-Forwards: 70\r\n" + extra + "Content-Length: 0\r\n\r\n");
    }

    @Test
    void aClientSupportsReliableProvisionalsWhenItSaysSoInSupportedOrRequire() throws Exception {
        assertTrue(ReliableProvisionals.supported(invite("Supported: timer, 100rel\r\n")));
        assertTrue(ReliableProvisionals.supported(invite("Require: 100rel\r\n")));
        assertFalse(ReliableProvisionals.supported(invite("Supported: timer, outbound\r\n")));
        assertFalse(ReliableProvisionals.supported(invite("")));
    }

    @Test
    void aProvisionalIsReliableWithRequire100relAndRSeq() throws Exception {
        assertTrue(ReliableProvisionals.isReliable(provisional("b1", "Require: 100rel\r\nRSeq: 1\r\n")));
        assertFalse(ReliableProvisionals.isReliable(provisional("b1", "Require: 100rel\r\n")), "no RSeq");
        assertFalse(ReliableProvisionals.isReliable(provisional("b1", "RSeq: 1\r\n")), "no Require");
    }

    @Test
    void aRetransmittedReliableProvisionalIsRecognisedPerEarlyDialog() throws Exception {
        Leg called = new Leg(Side.IMS, "c1", null, null);
        Response first = provisional("b1", "Require: 100rel\r\nRSeq: 7\r\n");
        assertFalse(ReliableProvisionals.isRetransmission(called, first), "the first one is new");
        assertTrue(ReliableProvisionals.isRetransmission(called, first), "the same RSeq again (RFC 3262 §4)");
        assertFalse(ReliableProvisionals.isRetransmission(called,
                provisional("b1", "Require: 100rel\r\nRSeq: 8\r\n")), "the next RSeq is new");
        assertFalse(ReliableProvisionals.isRetransmission(called,
                provisional("b2", "Require: 100rel\r\nRSeq: 7\r\n")), "another fork counts on its own");
        assertFalse(ReliableProvisionals.isRetransmission(called, provisional("b1", "")), "unreliable ones never");
    }
}

package org.webims.gateway.sip.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import javax.sip.message.Message;
import org.junit.jupiter.api.Test;

/** Finding the SDP of a message, alone or in a multipart body ({@link SipBodies#sdp}). */
class SipBodiesTest {

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";

    private static Message invite(String contentType, String body) throws Exception {
        String text = "INVITE sip:alice@ims.example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:bob@ims.example.test>;tag=b1\r\nTo: <sip:alice@ims.example.test>\r\n"
                + "Call-ID: c1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        return (Message) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }

    @Test
    void aPlainSdpBody() throws Exception {
        assertEquals(SDP, SipBodies.sdp(invite("application/sdp", SDP)));
    }

    @Test
    void theSdpPartOfAMultipartBodyBesideIsup() throws Exception {
        String body = "--unique-boundary-1\r\n"
                + "Content-Type: application/sdp\r\n\r\n" + SDP
                + "\r\n--unique-boundary-1\r\n"
                + "Content-Type: application/ISUP; version=itu-t92+\r\nContent-Disposition: signal; handling=optional"
                + "\r\n\r\n\u0001\u0000\u0049\r\n"
                + "--unique-boundary-1--\r\n";
        assertEquals(SDP, SipBodies.sdp(invite("multipart/mixed; boundary=\"unique-boundary-1\"", body)));
    }

    @Test
    void aMultipartBodyHidingSdpIsNotCopiedButOtherBodiesAreWithTheirHeaders() throws Exception {
        String nested = "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
                + "--inner\r\nContent-Type: application/sdp\r\n\r\n" + SDP + "\r\n--inner--\r\n--outer--\r\n";
        Message hiding = invite("multipart/mixed; boundary=outer", nested);
        Message out = invite("text/plain", "");
        SipBodies.copyBody(hiding, out);
        assertNull(out.getRawContent(), "SDP never passes unanchored");

        Message info = invite("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n");
        info.setHeader(new gov.nist.javax.sip.header.HeaderFactoryImpl().createContentDispositionHeader("signal"));
        Message relayed = invite("text/plain", "");
        SipBodies.copyBody(info, relayed);
        assertEquals("Signal=5\r\nDuration=160\r\n", new String(relayed.getRawContent(), StandardCharsets.UTF_8));
        assertEquals("signal", ((javax.sip.header.ContentDispositionHeader) relayed
                .getHeader("Content-Disposition")).getDispositionType());
    }

    @Test
    void noSdpAnywhere() throws Exception {
        assertNull(SipBodies.sdp(invite("text/plain", "hello")));
        String body = "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n";
        assertNull(SipBodies.sdp(invite("multipart/mixed;boundary=b", body)));
    }
}

package org.webims.gateway.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SipMessageTest {
    private static final String OK = "SIP/2.0 200 OK\r\n"
            + "v: SIP/2.0/WSS abc.invalid;rport=40856;received=127.0.0.1;branch=z9hG4bKajg\r\n"
            + "From: <sip:bench1@ims.example.test>;tag=85im\r\n"
            + "To: <sip:uas@127.0.0.1:5290>;tag=2181\r\n"
            + "Call-ID: jq67\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Record-Route: <sip:127.0.0.1:5270;lr=on;ftag=85im>, <sip:127.0.0.1:5280;r2=on;lr>\r\n"
            + "Record-Route: <sip:127.0.0.1:8290;transport=ws;r2=on;lr>\r\n"
            + "m: <sip:uas@127.0.0.1:5290;transport=UDP>\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 4\r\n\r\nv=0\n";

    @Test
    void readsAResponseWithCompactHeaders() {
        SipMessage m = SipMessage.parse(OK);
        assertTrue(m.isResponse());
        assertEquals(200, m.status());
        assertEquals("z9hG4bKajg", m.topViaBranch());
        assertEquals("2181", m.toTag());
        assertEquals("INVITE", m.cseqMethod());
        assertEquals("jq67", m.callId());
        assertEquals("sip:uas@127.0.0.1:5290;transport=UDP", SipMessage.uriOf(m.header("Contact")));
        assertEquals(List.of("<sip:127.0.0.1:5270;lr=on;ftag=85im>", "<sip:127.0.0.1:5280;r2=on;lr>",
                "<sip:127.0.0.1:8290;transport=ws;r2=on;lr>"), m.headers("Record-Route"));
        assertEquals("v=0\n", m.body());
    }

    @Test
    void readsARequest() {
        SipMessage m = SipMessage.parse("BYE sip:x@y.invalid;transport=ws SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1"
                + ";branch=z9hG4bK1\r\nTo: <sip:a@b>\r\nContent-Length: 0\r\n\r\n");
        assertTrue(m.isRequest());
        assertEquals("BYE", m.method());
        assertNull(m.toTag());
    }

    @Test
    void refusesWhatIsNotSip() {
        assertThrows(IllegalArgumentException.class, () -> SipMessage.parse("SIP/2.0 200 OK\r\nno colon\r\n\r\n"));
    }
}

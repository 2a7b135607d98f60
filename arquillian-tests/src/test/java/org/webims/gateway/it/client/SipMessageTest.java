package org.webims.gateway.it.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit test of {@link SipMessage} parsing and of the texts {@link SipRequestFactory} and {@link SipResponses} write. */
class SipMessageTest {

    private static final String RESPONSE = "SIP/2.0 200 OK\r\n"
            + "v: SIP/2.0/WSS abcdefgh.invalid;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2\r\n"
            + "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK3\r\n"
            + "f: \"Alice, A.\" <sip:alice@ims.example.test>;tag=ft\r\n"
            + "t: <sip:alice@ims.example.test>;tag=tt\r\n"
            + "i: call-1@x\r\n"
            + "CSeq: 2 REGISTER\r\n"
            + "m: <sip:a@h.invalid;transport=ws;ob>;+sip.instance=\"<urn:uuid:1,2>\";reg-id=1;expires=600,\r\n"
            + "  <sip:b@h.invalid;transport=ws>;expires=30\r\n"
            + "P-Associated-URI: <sip:alice@ims.example.test>, <tel:+15551234>\r\n"
            + "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n"
            + "k: path, outbound\r\n"
            + "c: text/plain\r\n"
            + "l: 5\r\n"
            + "\r\n"
            + "hello-extra";

    @Test
    void parsesResponse() {
        SipMessage m = SipMessage.parse(RESPONSE);
        assertFalse(m.isRequest());
        assertEquals(200, m.status());
        assertEquals("OK", m.reason());
        assertNull(m.method());
        assertEquals("call-1@x", m.callId());
        assertEquals(2, m.cseq());
        assertEquals("REGISTER", m.cseqMethod());
        assertEquals("tt", m.toTag());
        assertEquals("ft", m.fromTag());
        assertEquals(3, m.headers("VIA").size());
        assertEquals("z9hG4bK1", m.topViaBranch());
        assertEquals("\"Alice, A.\" <sip:alice@ims.example.test>;tag=ft", m.header("From"));
        List<String> contacts = m.headers("Contact");
        assertEquals(2, contacts.size());
        assertEquals("<urn:uuid:1,2>", SipMessage.param(contacts.get(0), "+sip.instance"));
        assertEquals("30", SipMessage.param(contacts.get(1), "expires"));
        assertNull(SipMessage.param(contacts.get(1), "transport"), "URI parameters are not header parameters");
        assertEquals(List.of("<sip:alice@ims.example.test>", "<tel:+15551234>"), m.headers("p-associated-uri"));
        assertEquals(List.of("Digest realm=\"r\", nonce=\"n\""), m.headers("WWW-Authenticate"));
        assertEquals(List.of("path", "outbound"), m.headers("Supported"));
        assertEquals("hello", m.body());
        assertEquals("text/plain", m.header("content-type"));
    }

    @Test
    void parsesRequestWithBareLf() {
        SipMessage m = SipMessage.parse("MESSAGE sip:alice@ims.example.test SIP/2.0\nCall-ID: x\nCSeq: 7 MESSAGE\n"
                + "To: <sip:alice@ims.example.test>\n\nhi");
        assertTrue(m.isRequest());
        assertEquals("MESSAGE", m.method());
        assertEquals("sip:alice@ims.example.test", m.requestUri());
        assertEquals(0, m.status());
        assertNull(m.toTag());
        assertEquals("hi", m.body());
    }

    @Test
    void rejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> SipMessage.parse(""));
        assertThrows(IllegalArgumentException.class, () -> SipMessage.parse("\r\n"));
        assertThrows(IllegalArgumentException.class, () -> SipMessage.parse("hello world"));
        assertThrows(IllegalArgumentException.class, () -> SipMessage.parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertThrows(IllegalArgumentException.class, () -> SipMessage.parse("SIP/2.0 200 OK\r\nno colon here\r\n\r\n"));
        assertThrows(IllegalArgumentException.class, () -> SipMessage.parse("SIP/2.0 999 What\r\n\r\n"));
        assertThrows(IllegalArgumentException.class, () -> SipMessage.parse("SIP/2.0 200 OK\r\nl: -1\r\n\r\n"));
    }

    @Test
    void factoryWritesJsSipLikeRegister() {
        SipRequestFactory f = new SipRequestFactory(SipClientIdentity.alice());
        SipMessage r = SipMessage.parse(f.register(1, "tag1", 600, "Authorization: Digest x=\"y\""));
        assertEquals("REGISTER", r.method());
        assertEquals("sip:ims.example.test", r.requestUri());
        assertTrue(r.header("Via").matches("SIP/2\\.0/WSS [a-z]{8}\\.invalid;branch=z9hG4bK\\w+"), r.header("Via"));
        assertEquals("600", SipMessage.param(r.header("Contact"), "expires"));
        assertEquals("<" + f.instanceId() + ">", SipMessage.param(r.header("Contact"), "+sip.instance"));
        assertEquals("1", SipMessage.param(r.header("Contact"), "reg-id"));
        assertTrue(r.header("Contact").startsWith("<sip:") && r.header("Contact").contains(".invalid;transport=ws;ob>"));
        assertEquals(List.of("path", "outbound", "gruu"), r.headers("Supported"));
        assertEquals("70", r.header("Max-Forwards"));
        assertEquals(f.registerCallId(), r.callId());
        assertEquals("Digest x=\"y\"", r.header("Authorization"));
        assertEquals("0", r.header("Content-Length"));
    }

    @Test
    void responsesCopyTransactionHeaders() {
        SipRequestFactory f = new SipRequestFactory(SipClientIdentity.bob());
        SipMessage request = SipMessage.parse(f.message("sip:alice@ims.example.test", "cid", 5, "ft", "h\u00e9", null)
                .replace("Via: ", "Via: SIP/2.0/UDP p;branch=z9hG4bKp\r\nVia: "));
        assertEquals("h\u00e9", request.body());
        assertEquals("3", request.header("Content-Length"), "UTF-8 bytes");
        SipMessage ok = SipMessage.parse(SipResponses.responseTo(request, 200, "OK"));
        assertEquals(200, ok.status());
        assertEquals(request.headers("Via"), ok.headers("Via"));
        assertEquals("cid", ok.callId());
        assertEquals("5 MESSAGE", ok.header("CSeq"));
        assertEquals("ft", ok.fromTag());
        assertTrue(ok.toTag() != null && !ok.toTag().isEmpty());
        assertEquals("0", ok.header("Content-Length"));
    }
}

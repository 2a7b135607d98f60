package org.webims.gateway.sip.signalling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.flow.FlowTokens;
import org.webims.gateway.sip.harness.TestSipSettings;

/** The transport toward the core chosen by a request's size on the wire (RFC 3261 §18.1.1). */
class SipContextCoreHopTest {
    private static SipContext sip(int pathMtu) throws Exception {
        return new SipContext(null, new MessageFactoryImpl(), new HeaderFactoryImpl(), new AddressFactoryImpl(),
                TestSipSettings.of("ims.test", "sip:127.0.0.1:5070", 5060, pathMtu), FlowTokens.withRandomKey());
    }

    private static Request message(String text) throws Exception {
        String raw = "MESSAGE sip:bob@ims.test SIP/2.0\r\n"
                + "Via: SIP/2.0/WS abc.invalid;branch=z9hG4bK-1\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@ims.test>;tag=1\r\n"
                + "To: <sip:bob@ims.test>\r\n"
                + "Call-ID: size-test\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\n"
                + "Content-Length: " + text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n"
                + text;
        return new MessageFactoryImpl().createRequest(raw);
    }

    private static String transport(SipContext sip, Request request) throws Exception {
        SipURI core = (SipURI) new AddressFactoryImpl().createURI("sip:127.0.0.1:5070;lr");
        return sip.coreHop(request, core).getTransport();
    }

    @Test
    void aRequestOf2000BytesGoesOverTcpUnlessThePathMtuIsKnownToBeLarger() throws Exception {
        Request large = message("x".repeat(1800));
        assertEquals("tcp", transport(sip(0), large));
        assertEquals("udp", transport(sip(9000), large));
    }

    @Test
    void theLimitCountsBytesAndTheViaTheGatewayStillAdds() throws Exception {
        // 400 characters of Japanese are 1200 bytes: under 1300 characters with the headers, over 1300 bytes
        Request wide = message("日".repeat(400));
        assertEquals("tcp", transport(sip(0), wide));
        // near the limit but not over it: UDP only while the Via we add still fits under 1300 bytes
        String header = message("").toString();
        int roomForBody = 1300 - header.length();
        assertEquals("tcp", transport(sip(0), message("y".repeat(roomForBody - 50))),
                "1250 bytes before our Via are over 1300 on the wire");
        assertEquals("udp", transport(sip(0), message("y".repeat(roomForBody - 150))));
    }
}

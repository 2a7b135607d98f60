package org.webims.gateway.sip.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/** What of a refusal on one leg reaches the other leg's response ({@link RefusalExplanation}). */
class RefusalExplanationTest {

    private static Response parse(String firstLine, String headers, String body) throws Exception {
        String text = firstLine + "\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:alice@ims.example.test>;tag=a1\r\nTo: <sip:bob@ims.example.test>;tag=b1\r\n"
                + "Call-ID: c1\r\nCSeq: 1 INVITE\r\n" + headers
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        return (Response) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }

    private static List<String> values(Response response, String name) {
        List<String> all = new ArrayList<>();
        ListIterator<?> it = response.getHeaders(name);
        while (it.hasNext()) {
            String header = it.next().toString().strip();
            all.add(header.substring(header.indexOf(':') + 1).strip());
        }
        return all;
    }

    @Test
    void aRefusalsReasonWarningsAndExplanatoryHeadersPassButNotItsRoutingOrContact() throws Exception {
        Response refusal = parse("SIP/2.0 403 Calls Abroad Barred",
                "Warning: 399 scscf.ims.example.test \"international calls are not part of your subscription\"\r\n"
                        + "Warning: 399 as.ims.example.test \"second opinion\"\r\n"
                        + "Reason: SIP;cause=403;text=\"barred\"\r\nRetry-After: 120\r\n"
                        + "Contact: <sip:core-internal@10.0.0.9>\r\nRecord-Route: <sip:10.0.0.1;lr>\r\n"
                        + "Server: core-as/1.0\r\n", "");
        Response out = parse("SIP/2.0 403 Forbidden", "", "");

        RefusalExplanation.passOn(refusal, out);

        assertEquals("Calls Abroad Barred", out.getReasonPhrase());
        assertEquals(List.of("399 scscf.ims.example.test \"international calls are not part of your subscription\"",
                "399 as.ims.example.test \"second opinion\""), values(out, "Warning"));
        assertEquals(1, values(out, "Reason").size());
        assertTrue(values(out, "Reason").get(0).contains("cause=403"), values(out, "Reason").toString());
        assertEquals(List.of("120"), values(out, "Retry-After"));
        assertTrue(values(out, "Contact").isEmpty(), "the core's Contact stays on its leg");
        assertTrue(values(out, "Record-Route").isEmpty(), "and so does its routing");
        assertTrue(values(out, "Server").isEmpty());
    }

    @Test
    void theImsXmlBodyOfA380PassesAndAnSdpBodyDoesNot() throws Exception {
        String xml = "<?xml version=\"1.0\"?><ims-3gpp version=\"1\"><alternative-service><type>emergency</type>"
                + "<reason>use a phone</reason></alternative-service></ims-3gpp>";
        Response alternative = parse("SIP/2.0 380 Alternative Service",
                "Content-Type: application/3gpp-ims+xml\r\n", xml);
        Response out = parse("SIP/2.0 380 Alternative Service", "", "");
        RefusalExplanation.passOn(alternative, out);
        assertEquals(xml, new String(out.getRawContent(), StandardCharsets.UTF_8));
        assertEquals("application/3gpp-ims+xml", values(out, "Content-Type").get(0));

        Response withSdp = parse("SIP/2.0 488 Not Acceptable Here", "Content-Type: application/sdp\r\n",
                "v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nt=0 0\r\n");
        Response out488 = parse("SIP/2.0 488 Not Acceptable Here", "", "");
        RefusalExplanation.passOn(withSdp, out488);
        assertNull(out488.getRawContent(), "an SDP names the other leg's media addresses: it stays there");
    }

    @Test
    void anAnswerIsLeftAlone() throws Exception {
        Response ok = parse("SIP/2.0 200 Fine", "Warning: 399 x \"y\"\r\n", "");
        Response out = parse("SIP/2.0 200 OK", "", "");
        RefusalExplanation.passOn(ok, out);
        assertEquals("OK", out.getReasonPhrase());
        assertTrue(values(out, "Warning").isEmpty());
    }
}

package org.webims.gateway.sip.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.flow.FlowId;
import org.webims.gateway.sip.registration.RegistrationUpdate;
import org.webims.gateway.sip.registration.RegistrationUpdate.ContactGrant;

/** Golden REGISTER / 200 OK pairs, as JsSIP sends them and as an S-CSCF answers. */
class RegistrationMapperTest {
    private static final String CONTACT = "<sip:k2t3@abc123.invalid;transport=ws;ob>"
            + ";+sip.instance=\"<urn:uuid:2b6a0f3c-1111-4d0e-9c7a-000000000001>\";reg-id=1";

    @Test
    void aRegistrationTakesTheGrantedExpiryIdentitiesAndServiceRoute() throws Exception {
        Request register = request(CONTACT + ";expires=600", null);
        Response ok = response(register, List.of(
                "Contact: <sip:other@phone.example:5062>;expires=100",
                "Contact: <sip:k2t3@abc123.invalid;transport=ws;ob>;expires=300;+sip.instance=\"<urn:uuid:2b6a0f3c-1111-4d0e-9c7a-000000000001>\";reg-id=1",
                "P-Associated-URI: <sip:alice@ims.example.test>, <tel:+15550001>",
                "Service-Route: <sip:orig@scscf.ims.example.test:5070;lr>"));

        RegistrationUpdate update = RegistrationMapper.toUpdate(new FlowId(7), register, ok);

        assertEquals("sip:alice@ims.example.test", update.aor());
        assertFalse(update.removeAll());
        assertEquals(List.of(new ContactGrant("sip:k2t3@abc123.invalid;transport=ws;ob",
                "<urn:uuid:2b6a0f3c-1111-4d0e-9c7a-000000000001>", 1, 300)), update.contacts());
        assertEquals(List.of("sip:alice@ims.example.test", "tel:+15550001"), update.associatedUris());
        assertEquals(List.of("<sip:orig@scscf.ims.example.test:5070;lr>"), update.serviceRoute());
    }

    @Test
    void aContactTheRegistrarNoLongerListsIsGrantedNothing() throws Exception {
        Request register = request(CONTACT, "Expires: 600");
        Response ok = response(register, List.of("Contact: <sip:other@phone.example:5062>;expires=100"));
        assertEquals(0, RegistrationMapper.toUpdate(new FlowId(7), register, ok).contacts().get(0).expiresSeconds());
    }

    @Test
    void theExpiresHeaderOfTheAnswerAppliesWhenTheContactHasNone() throws Exception {
        Request register = request(CONTACT, "Expires: 600");
        Response ok = response(register, List.of("Contact: <sip:k2t3@abc123.invalid;transport=ws;ob>",
                "Expires: 450"));
        assertEquals(450, RegistrationMapper.toUpdate(new FlowId(7), register, ok).contacts().get(0)
                .expiresSeconds());
    }

    @Test
    void expiresZeroDeRegistersEvenIfTheRegistrarStillEchoesTheContact() throws Exception {
        Request register = request(CONTACT, "Expires: 0");
        Response ok = response(register, List.of("Contact: <sip:k2t3@abc123.invalid;transport=ws;ob>;expires=5"));
        assertEquals(0, RegistrationMapper.toUpdate(new FlowId(7), register, ok).contacts().get(0).expiresSeconds());
    }

    @Test
    void aWildcardRemovesAll() throws Exception {
        Request register = request("*", "Expires: 0");
        Response ok = response(register, List.of());
        assertTrue(RegistrationMapper.toUpdate(new FlowId(7), register, ok).removeAll());
    }

    static Request request(String contact, String extraHeader) throws Exception {
        String text = "REGISTER sip:ims.example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS abc123.invalid;branch=z9hG4bK776asdhds\r\n"
                + "Max-Forwards: 69\r\n"
                + "To: <sip:alice@ims.example.test>\r\n"
                + "From: <sip:alice@ims.example.test>;tag=456248\r\n"
                + "Call-ID: 843817637684230@998sdasdh09\r\n"
                + "CSeq: 1826 REGISTER\r\n"
                + "Contact: " + contact + "\r\n"
                + (extraHeader == null ? "" : extraHeader + "\r\n")
                + "Content-Length: 0\r\n\r\n";
        return (Request) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }

    static Response response(Request request, List<String> headers) throws Exception {
        StringBuilder text = new StringBuilder("SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKgw1\r\n"
                + "Via: SIP/2.0/WSS abc123.invalid;branch=z9hG4bK776asdhds;received=127.0.0.1;rport=50000\r\n"
                + "To: <sip:alice@ims.example.test>;tag=2493k59kd\r\n"
                + "From: <sip:alice@ims.example.test>;tag=456248\r\n"
                + "Call-ID: 843817637684230@998sdasdh09\r\n"
                + "CSeq: 1826 REGISTER\r\n");
        headers.forEach(h -> text.append(h).append("\r\n"));
        text.append("Content-Length: 0\r\n\r\n");
        return (Response) new StringMsgParser().parseSIPMessage(text.toString().getBytes(StandardCharsets.UTF_8),
                true, false, null);
    }
}

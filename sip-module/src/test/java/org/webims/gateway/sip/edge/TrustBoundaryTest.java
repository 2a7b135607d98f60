package org.webims.gateway.sip.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import javax.sip.message.Message;
import org.junit.jupiter.api.Test;

/** Which headers cross the trust domain's border, each way ({@link TrustBoundary}). */
class TrustBoundaryTest {

    private static Message register() throws Exception {
        String text = "REGISTER sip:ims.example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK-1\r\n"
                + "From: <sip:alice@ims.example.test>;tag=a1\r\nTo: <sip:alice@ims.example.test>\r\n"
                + "Call-ID: c1\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:x@abc.invalid;transport=ws>\r\n"
                + "Path: <sip:attacker@192.0.2.66;lr>\r\n"
                + "P-Asserted-Identity: <sip:bob@ims.example.test>\r\n"
                + "P-Preferred-Identity: <sip:alice@ims.example.test>\r\n"
                + "P-Served-User: <sip:bob@ims.example.test>\r\n"
                + "P-Charging-Vector: icid-value=forged\r\n"
                + "P-Charging-Function-Addresses: ccf=192.0.2.1\r\n"
                + "P-Visited-Network-ID: \"forged\"\r\n"
                + "P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=001010001000019B\r\n"
                + "User-Agent: test\r\nContent-Length: 0\r\n\r\n";
        return (Message) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }

    @Test
    void whatOnlyTheNetworkMaySetIsRemovedFromAClientsMessage() throws Exception {
        Message m = register();
        TrustBoundary.fromClient(m);
        for (String name : TrustBoundary.NETWORK_ONLY) {
            assertNull(m.getHeader(name), name);
        }
        assertNotNull(m.getHeader("P-Access-Network-Info"), "the client's own access information stays");
        assertNotNull(m.getHeader("Contact"));
        assertNotNull(m.getHeader("User-Agent"));
    }

    @Test
    void chargingAndServedUserHeadersStayInTheCore() throws Exception {
        Message m = register();
        TrustBoundary.towardClient(m);
        for (String name : TrustBoundary.CORE_ONLY) {
            assertNull(m.getHeader(name), name);
        }
        assertNotNull(m.getHeader("Path"), "a registrar's Path list is for the client to see (RFC 3327)");
        assertNotNull(m.getHeader("P-Asserted-Identity"), "the caller's asserted identity reaches the callee");
    }

    @Test
    void aClientCannotClaimItsRegistrationIsAlreadyAuthenticated() throws Exception {
        String text = "REGISTER sip:ims.example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK-1\r\n"
                + "From: <sip:alice@ims.example.test>;tag=a1\r\nTo: <sip:alice@ims.example.test>\r\n"
                + "Call-ID: c1\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:x@abc.invalid;transport=ws>\r\n"
                + "Authorization: Digest username=\"alice@ims.example.test\", realm=\"ims.example.test\", "
                + "nonce=\"\", uri=\"sip:ims.example.test\", response=\"\", Integrity-Protected=\"auth-done\"\r\n"
                + "Proxy-Authorization: Digest username=\"alice\", realm=\"x\", nonce=\"n\", uri=\"sip:x\", "
                + "response=\"r\", integrity-protected=yes\r\n"
                + "Content-Length: 0\r\n\r\n";
        Message m = (Message) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true,
                false, null);
        TrustBoundary.fromClient(m);
        String authorization = m.getHeader("Authorization").toString();
        assertFalse(authorization.toLowerCase().contains("integrity-protected"), authorization);
        assertEquals("alice@ims.example.test",
                ((javax.sip.header.AuthorizationHeader) m.getHeader("Authorization")).getUsername(),
                "the rest of the client's credentials pass unchanged");
        String proxyAuthorization = m.getHeader("Proxy-Authorization").toString();
        assertFalse(proxyAuthorization.toLowerCase().contains("integrity-protected"), proxyAuthorization);
    }
}

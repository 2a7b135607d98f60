package org.webims.gateway.sip.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import org.junit.jupiter.api.Test;

class AssertedFromTest {
    private final AddressFactory addresses;
    private final HeaderFactory headers;

    AssertedFromTest() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        addresses = factory.createAddressFactory();
        headers = factory.createHeaderFactory();
    }

    private FromHeader from(String value) throws Exception {
        return (FromHeader) headers.createHeader("From", value);
    }

    @Test
    void theUriIsTheAssertedIdentityAndTheDisplayNameAndTagAreTheClients() throws Exception {
        FromHeader forged = from("\"Bank of Test\" <sip:security@bank.example>;tag=t1");
        var request = new gov.nist.javax.sip.message.SIPRequest();
        request.setHeader(forged);
        AssertedFrom.apply(request, addresses, "sip:alice@ims.example.test");
        FromHeader rewritten = (FromHeader) request.getHeader(FromHeader.NAME);
        assertEquals("sip:alice@ims.example.test", rewritten.getAddress().getURI().toString());
        assertEquals("Bank of Test", rewritten.getAddress().getDisplayName());
        assertEquals("t1", rewritten.getTag());
    }

    @Test
    void noDisplayNameStaysNone() throws Exception {
        var address = AssertedFrom.address(addresses, "sip:alice@ims.example.test",
                from("<sip:someone@else.example>;tag=x"));
        assertNull(address.getDisplayName());
    }
}

package org.webims.gateway.sip.signalling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChargingVectorTest {

    @Test
    void newIcidsAreUniqueTokens() {
        String a = ChargingVector.newIcid();
        String b = ChargingVector.newIcid();
        assertNotEquals(a, b);
        assertTrue(a.matches("[0-9a-f]{32}"), a);
        long millis = Long.parseLong(a.substring(0, 12), 16);
        assertTrue(Math.abs((System.currentTimeMillis() & 0xFFFF_FFFF_FFFFL) - millis) < 60_000,
                "begins with the time in milliseconds: " + a);
    }

    @Test
    void readsTheIcidOfTheCoresVector() {
        assertEquals(Optional.of("AyretyU0dm+6O2IrT5tAFrbHLso=023551024"), ChargingVector.parseIcid(
                "icid-value=AyretyU0dm+6O2IrT5tAFrbHLso=023551024;icid-generated-at=192.0.2.1")); // RFC 7315 §5.6
        assertEquals(Optional.of("1234bc9876e"),
                ChargingVector.parseIcid(" orig-ioi=home1.net ; ICID-Value = \"1234bc9876e\""));
    }

    @Test
    void refusesMissingOrMalformedIcids() {
        assertEquals(Optional.empty(), ChargingVector.parseIcid("orig-ioi=home1.net"));
        assertEquals(Optional.empty(), ChargingVector.parseIcid("icid-value=a b"));
        assertEquals(Optional.empty(), ChargingVector.parseIcid("icid-value=" + "x".repeat(129)));
        assertEquals(Optional.empty(), ChargingVector.parseIcid("icid-value="));
    }

    @Test
    void theVectorSetOnARequestNamesIcidHostAndDomainAndReplacesAnyOther() throws Exception {
        for (String domain : new String[] {"ims.test", "home1.net"}) {
            var sip = new SipContext(null, new gov.nist.javax.sip.message.MessageFactoryImpl(),
                    new gov.nist.javax.sip.header.HeaderFactoryImpl(), new gov.nist.javax.sip.address.AddressFactoryImpl(),
                    org.webims.gateway.sip.harness.TestSipSettings.of(domain, "sip:127.0.0.1:5070", 5060),
                    org.webims.gateway.sip.flow.FlowTokens.withRandomKey());
            javax.sip.message.Request request = new gov.nist.javax.sip.message.MessageFactoryImpl().createRequest(
                    "REGISTER sip:ims.test SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK1\r\n"
                            + "From: <sip:a@ims.test>;tag=1\r\nTo: <sip:a@ims.test>\r\nCall-ID: c\r\n"
                            + "CSeq: 1 REGISTER\r\nMax-Forwards: 70\r\nP-Charging-Vector: icid-value=old\r\n"
                            + "Content-Length: 0\r\n\r\n");
            String icid = ChargingVector.newIcid();
            ChargingVector.set(request, icid, sip);
            var set = request.getHeaders(ChargingVector.HEADER);
            assertEquals("P-Charging-Vector: icid-value=" + icid + ";icid-generated-at=127.0.0.1;orig-ioi=" + domain,
                    set.next().toString().strip());
            assertTrue(!set.hasNext(), "the client's vector is gone");
            var reparsed = new gov.nist.javax.sip.parser.StringMsgParser().parseSIPMessage(
                    request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), true, false, null);
            String line = reparsed.getHeader(ChargingVector.HEADER).toString().strip();
            assertEquals(Optional.of(icid), ChargingVector.parseIcid(line.substring(line.indexOf(':') + 1)));
        }
    }
}

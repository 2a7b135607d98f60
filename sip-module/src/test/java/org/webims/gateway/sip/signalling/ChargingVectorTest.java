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
}

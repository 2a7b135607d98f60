package org.webims.gateway.ejb.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void ipv4AndIpv6Ranges() {
        Cidr ten = Cidr.parse("10.0.0.0/8").orElseThrow();
        assertTrue(ten.contains("10.255.1.2"));
        assertFalse(ten.contains("11.0.0.1"));
        assertFalse(ten.contains("2001:db8::1"));
        Cidr doc = Cidr.parse("2001:db8::/32").orElseThrow();
        assertTrue(doc.contains("2001:db8:ffff::1"));
        assertFalse(doc.contains("2001:db9::1"));
        assertTrue(Cidr.parse("192.0.2.7").orElseThrow().contains("192.0.2.7"), "a bare address is a /32");
        assertTrue(Cidr.parse("10.1.2.3/8").orElseThrow().contains("10.9.9.9"), "host bits are masked");
    }

    @Test
    void namesThatLookLikeHexAreNeverResolved() {
        assertTrue(Cidr.parse("cafe.de").isEmpty());
        assertTrue(Cidr.literal("cafe.de").isEmpty());
        assertTrue(Cidr.literal("1.2.3").isEmpty());
        assertTrue(Cidr.literal("256.1.1.1").isEmpty());
        assertTrue(Cidr.parse("10.0.0.0/8").orElseThrow().contains("::ffff:10.0.0.1"), "IPv4-mapped");
        assertTrue(Cidr.literal("2001:db8::1").isPresent());
    }

    @Test
    void namesAndBadLengthsAreRefusedWithoutALookup() {
        assertTrue(Cidr.parse("localhost").isEmpty());
        assertTrue(Cidr.parse("10.0.0.0/40").isEmpty());
        assertTrue(Cidr.parse("10.0.0.0/x").isEmpty());
        assertTrue(Cidr.parse("").isEmpty());
        assertFalse(Cidr.parse("0.0.0.0/0").orElseThrow().contains("not-an-address"));
    }
}

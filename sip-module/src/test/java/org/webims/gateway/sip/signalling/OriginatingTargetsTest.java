package org.webims.gateway.sip.signalling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OriginatingTargetsTest {
    private final OriginatingTargets none = OriginatingTargets.parse("");

    @Test
    void usersAtDomainsNumbersAndServiceUrnsPass() {
        assertTrue(none.check("sip", "ims.example.test", -1, false).isEmpty());
        assertTrue(none.check("tel", "", -1, false).isEmpty());
        assertTrue(none.check("urn", "", -1, false).isEmpty());
    }

    @Test
    void ipAddressesPortsAndMaddrAreRefused() {
        assertEquals(403, none.check("sip", "127.0.0.1", 5999, false).orElseThrow().status());
        assertEquals(403, none.check("sip", "127.0.0.1", -1, false).orElseThrow().status());
        assertEquals(403, none.check("sip", "[::1]", -1, false).orElseThrow().status());
        assertEquals(403, none.check("sips", "ims.example.test", 9990, false).orElseThrow().status());
        assertEquals(403, none.check("sip", "ims.example.test", -1, true).orElseThrow().status());
    }

    @Test
    void otherSchemesGet416() {
        assertEquals(416, none.check("http", "", -1, false).orElseThrow().status());
    }

    @Test
    void listedHostsAndPortRangesPass() {
        OriginatingTargets some = OriginatingTargets.parse("127.0.0.1:5000-5999, 192.0.2.7, [2001:db8::1]:5060");
        assertTrue(some.check("sip", "127.0.0.1", 5200, false).isEmpty());
        assertTrue(some.check("sip", "127.0.0.1", -1, false).isEmpty());
        assertEquals(403, some.check("sip", "127.0.0.1", 2223, false).orElseThrow().status());
        assertTrue(some.check("sip", "192.0.2.7", 7000, false).isEmpty());
        assertTrue(some.check("sip", "[2001:db8::1]", 5060, false).isEmpty());
        assertEquals(403, some.check("sip", "127.0.0.2", 5200, false).orElseThrow().status());
    }

    @Test
    void aBadEntryIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> OriginatingTargets.parse("127.0.0.1:99999"));
        assertTrue(e.getMessage().contains("127.0.0.1:99999"));
    }
}

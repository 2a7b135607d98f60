package org.webims.gateway.sip.signalling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UdpSizeLimitTest {
    @Test
    void withThePathMtuUnknownARequestLargerThan1300BytesGoesOverTcp() {
        UdpSizeLimit unknown = new UdpSizeLimit(0);
        assertFalse(unknown.exceededBy(1300));
        assertTrue(unknown.exceededBy(1301));
    }

    @Test
    void aRequestWithin200BytesOfAKnownPathMtuGoesOverTcp() {
        assertFalse(new UdpSizeLimit(9000).exceededBy(8799));
        assertTrue(new UdpSizeLimit(9000).exceededBy(8800), "200 bytes under the MTU is within 200 bytes of it");
        assertEquals(65_335, new UdpSizeLimit(65_536).largestOverUdp());
        assertTrue(new UdpSizeLimit(1280).exceededBy(1080), "a path MTU under 1500 lowers the limit too");
    }

    @Test
    void aPathMtuNoIpHostCouldHaveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UdpSizeLimit(500));
        assertThrows(IllegalArgumentException.class, () -> new UdpSizeLimit(70_000));
        assertThrows(IllegalArgumentException.class, () -> new UdpSizeLimit(-1));
    }
}

package org.webims.gateway.sip.signalling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UdpSizeLimitTest {
    @Test
    void withThePathMtuUnknownARequestOver1300BytesGoesOverTcp() {
        UdpSizeLimit unknown = new UdpSizeLimit(0);
        assertFalse(unknown.exceededBy(1300));
        assertTrue(unknown.exceededBy(1301));
    }

    @Test
    void aKnownPathMtuLetsUdpCarryUpTo200BytesUnderIt() {
        assertEquals(65_336, new UdpSizeLimit(65_536).bytes());
        assertFalse(new UdpSizeLimit(9000).exceededBy(8800));
        assertTrue(new UdpSizeLimit(9000).exceededBy(8801));
        assertTrue(new UdpSizeLimit(1280).exceededBy(1081), "a path MTU under 1500 lowers the limit too");
    }

    @Test
    void aPathMtuNoIpHostCouldHaveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UdpSizeLimit(500));
        assertThrows(IllegalArgumentException.class, () -> new UdpSizeLimit(70_000));
        assertThrows(IllegalArgumentException.class, () -> new UdpSizeLimit(-1));
    }
}

package org.webims.gateway.sip.edge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which source addresses {@link TrustedPeers} accepts as IMS core nodes. */
class TrustedPeersTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void nothingConfiguredTrustsAnyHost() throws Exception {
        TrustedPeers peers = TrustedPeers.parse("  ");
        assertTrue(peers.anyHost());
        assertTrue(peers.trusts(ip("203.0.113.9")));
    }

    @Test
    void addressesAndRangesOfBothFamilies() throws Exception {
        TrustedPeers peers = TrustedPeers.parse("127.0.0.1, 10.20.0.0/16, 192.0.2.128/25, 2001:db8::/32");
        assertFalse(peers.anyHost());
        assertTrue(peers.trusts(ip("127.0.0.1")));
        assertFalse(peers.trusts(ip("127.0.0.2")), "a single address is a /32");
        assertTrue(peers.trusts(ip("10.20.255.1")));
        assertFalse(peers.trusts(ip("10.21.0.1")));
        assertTrue(peers.trusts(ip("192.0.2.200")));
        assertFalse(peers.trusts(ip("192.0.2.127")), "the /25 boundary");
        assertTrue(peers.trusts(ip("2001:db8:1::5")));
        assertFalse(peers.trusts(ip("2001:db9::5")));
        assertFalse(peers.trusts(null));
    }

    @Test
    void whatIsNotAnAddressIsRefusedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedPeers.parse("10.0.0.1, scscf.ims.example.test"));
        assertTrue(e.getMessage().contains("scscf.ims.example.test"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrustedPeers.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TrustedPeers.parse("10/8"), "not 0.0.0.10/8");
        assertThrows(IllegalArgumentException.class, () -> TrustedPeers.parse("::ffff:10.0.0.0/104"));
        assertThrows(IllegalArgumentException.class, () -> TrustedPeers.parse("10.0.0.0/x"));
    }
}

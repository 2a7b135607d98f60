package org.webims.gateway.web.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ForwardedForTest {
    private final ForwardedFor proxies = ForwardedFor.parse("192.0.2.10, 10.0.0.0/8");

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItWrote() throws Exception {
        assertEquals(ip("198.51.100.7"), proxies.client(ip("198.51.100.7"), "10.1.1.1").orElseThrow());
    }

    @Test
    void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() throws Exception {
        assertEquals(ip("203.0.113.5"), proxies.client(ip("192.0.2.10"), "1.2.3.4, 203.0.113.5, 10.9.9.9")
                .orElseThrow(), "a spoofed leftmost entry is ignored");
        assertEquals(ip("2001:db8::7"), proxies.client(ip("192.0.2.10"), "2001:db8::7").orElseThrow());
    }

    @Test
    void anUnreadableHeaderFromATrustedProxyNamesNoClient() throws Exception {
        assertTrue(proxies.client(ip("192.0.2.10"), null).isEmpty());
        assertTrue(proxies.client(ip("192.0.2.10"), "unknown").isEmpty());
        assertTrue(proxies.client(ip("192.0.2.10"), "10.0.0.1").isEmpty(), "only proxies: no client");
    }

    @Test
    void aBadListIsAStartupError() {
        assertThrows(IllegalArgumentException.class, () -> ForwardedFor.parse("proxy.example"));
        assertTrue(!ForwardedFor.parse("").anyTrusted());
    }
}

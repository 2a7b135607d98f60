package org.webims.gateway.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestTest {

    /** RFC 2617 §3.5, the example exchange (qop=auth, MD5). */
    @Test
    void answersTheRfc2617Example() {
        String challenge = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
        String answer = Digest.authorization(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html",
                "0a4f113b");
        assertTrue(answer.contains("response=\"6629fae49393a05397450978507c4ef1\""), answer);
        assertTrue(answer.contains("qop=auth, cnonce=\"0a4f113b\", nc=00000001"), answer);
        assertTrue(answer.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""), answer);
    }

    /** RFC 2069 compatibility: no qop offered, response = H(HA1:nonce:HA2). */
    @Test
    void answersWithoutQopWhenNoneIsOffered() {
        String answer = Digest.authorization("Digest realm=\"ims.example.test\", nonce=\"abc\"", "bench1@ims.example.test",
                "bench-secret", "REGISTER", "sip:ims.example.test", "x");
        assertTrue(answer.startsWith("Digest username=\"bench1@ims.example.test\", realm=\"ims.example.test\""), answer);
        assertTrue(!answer.contains("qop"), answer);
    }

    @Test
    void parsesQuotedAndBareParameters() {
        Map<String, String> p = Digest.parse("Digest realm=\"a, b\", nonce=n1, algorithm=MD5, qop=\"auth\"");
        assertEquals("a, b", p.get("realm"));
        assertEquals("n1", p.get("nonce"));
        assertEquals("MD5", p.get("algorithm"));
        assertEquals("auth", p.get("qop"));
    }

    @Test
    void refusesWhatItCannotAnswer() {
        assertThrows(IllegalArgumentException.class,
                () -> Digest.authorization("Basic realm=\"x\"", "u", "p", "REGISTER", "sip:x"));
        assertThrows(IllegalArgumentException.class, () -> Digest.authorization(
                "Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\"", "u", "p", "REGISTER", "sip:x"));
    }
}

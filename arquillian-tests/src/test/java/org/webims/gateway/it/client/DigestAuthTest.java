package org.webims.gateway.it.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Unit test of {@link DigestAuth} against published vectors (RFC 2617 section 3.5, RFC 7616 section 3.9.1). */
class DigestAuthTest {

    private static final String RFC2617_CHALLENGE = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
            + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    @Test
    void rfc2617Example() {
        String auth = DigestAuth.authorization(RFC2617_CHALLENGE, "Mufasa", "Circle Of Life", "GET",
                "/dir/index.html", "0a4f113b", 1);
        assertEquals("6629fae49393a05397450978507c4ef1", param(auth, "response"));
        assertEquals("Mufasa", param(auth, "username"));
        assertEquals("testrealm@host.com", param(auth, "realm"));
        assertEquals("dcd98b7102dd2f0e8b11d0f600bfb0c093", param(auth, "nonce"));
        assertEquals("/dir/index.html", param(auth, "uri"));
        assertEquals("auth", param(auth, "qop"));
        assertEquals("00000001", param(auth, "nc"));
        assertEquals("0a4f113b", param(auth, "cnonce"));
        assertEquals("5ccc069c403ebaf9f0171e9517f40e41", param(auth, "opaque"));
        assertTrue(auth.startsWith("Digest "));
    }

    @Test
    void noQopUsesRfc2069Response() {
        // expected value computed independently with md5sum: MD5(HA1:nonce:HA2)
        String auth = DigestAuth.authorization("Digest realm=\"testrealm@host.com\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"", "Mufasa", "Circle Of Life", "GET", "/dir/index.html");
        assertEquals("670fd8c2df070c60b045671b8b24ff02", param(auth, "response"));
        assertNull(param(auth, "qop"));
        assertNull(param(auth, "cnonce"));
        assertNull(param(auth, "nc"));
        assertNull(param(auth, "opaque"));
    }

    @Test
    void sipRegisterWithoutQop() {
        String auth = DigestAuth.authorization("Digest realm=\"ims.example.test\", nonce=\"abc123\", algorithm=MD5",
                "alice@ims.example.test", "alice-demo-secret", "REGISTER", "sip:ims.example.test");
        assertEquals("261a713dd56c580db8bd4ba6cc3079a5", param(auth, "response"));
        assertEquals("MD5", param(auth, "algorithm"));
    }

    @Test
    void rfc7616Md5AndSha256Examples() {
        String challenge = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=%s, "
                + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
                + "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        String md5 = DigestAuth.authorization(challenge.formatted("MD5"), "Mufasa", "Circle of Life", "GET",
                "/dir/index.html", cnonce, 1);
        assertEquals("8ca523f5e9506fed4657c9700eebdbec", param(md5, "response"));
        String sha = DigestAuth.authorization(challenge.formatted("SHA-256"), "Mufasa", "Circle of Life", "GET",
                "/dir/index.html", cnonce, 1);
        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", param(sha, "response"));
        assertEquals("SHA-256", param(sha, "algorithm"));
    }

    @Test
    void rejectsWhatItCannotAnswer() {
        assertFalse(DigestAuth.canAnswer("Basic realm=\"x\""));
        assertFalse(DigestAuth.canAnswer("Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\""));
        assertFalse(DigestAuth.canAnswer("Digest realm=\"x\", nonce=\"n\", algorithm=AKAv1-MD5"));
        assertFalse(DigestAuth.canAnswer("Digest realm=\"x\""));
        assertTrue(DigestAuth.canAnswer("Digest realm=\"x\", nonce=\"n\", qop=\"auth\""));
        assertThrows(IllegalArgumentException.class,
                () -> DigestAuth.authorization("Basic realm=\"x\"", "u", "p", "GET", "/"));
    }

    @Test
    void parsesChallengeParameters() {
        DigestAuth.Challenge c = DigestAuth.parseChallenge(
                "Digest realm=\"ims.example.test\",nonce=\"a\\\"b\", stale=TRUE, qop=\"auth,auth-int\"");
        assertEquals("ims.example.test", c.realm());
        assertEquals("a\"b", c.nonce());
        assertTrue(c.stale());
        assertEquals(java.util.List.of("auth", "auth-int"), c.qopOptions());
        assertEquals("MD5", c.algorithm());
    }

    /** A parameter of the Authorization value, unquoted, or null. */
    private static String param(String authorization, String name) {
        String params = authorization.substring("Digest ".length());
        for (String p : SipMessage.splitTopLevel(params, ',')) {
            int eq = p.indexOf('=');
            if (p.substring(0, eq).strip().equals(name)) {
                return SipMessage.unquote(p.substring(eq + 1).strip());
            }
        }
        return null;
    }
}

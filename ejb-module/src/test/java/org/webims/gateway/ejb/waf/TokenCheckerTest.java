package org.webims.gateway.ejb.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.identity.TokenCheck;

class TokenCheckerTest {
    private static final Instant NOW = Instant.parse("2026-12-03T07:00:00Z");
    private final ECKey key = generate("k1");
    private final TokenChecker checker = new TokenChecker(() -> List.of(key), "waf", "ep-cscf",
            (provider, origin) -> "shop".equals(provider) && "https://shop.example".equals(origin),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static ECKey generate(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JWTClaimsSet.Builder claims(String jti) {
        return new JWTClaimsSet.Builder().issuer("waf").audience("ep-cscf").subject("sip:g-0@ims.test")
                .claim("impi", "g-0@ims.test").claim("provider", "shop").claim("guest", true)
                .expirationTime(Date.from(NOW.plusSeconds(60))).jwtID(jti);
    }

    private String signed(ECKey with, JWTClaimsSet set) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(with.getKeyID()).build(), set);
        jwt.sign(new ECDSASigner(with));
        return jwt.serialize();
    }

    @Test
    void aGoodTokenIsValidOnceFromItsProvidersOrigin() throws Exception {
        String token = signed(key, claims("j1").build());
        assertEquals(TokenCheck.Forbidden.class, checker.check(token, "https://evil.example").getClass(),
                "another page: refused, and the token not spent");
        TokenCheck.Valid valid = assertInstanceOf(TokenCheck.Valid.class, checker.check(token, "https://shop.example"));
        assertEquals("g-0@ims.test", valid.impi());
        assertEquals("already used", assertInstanceOf(TokenCheck.Invalid.class,
                checker.check(token, "https://shop.example")).why());
    }

    @Test
    void forgedExpiredForeignOrUnpinnedTokensAreInvalid() throws Exception {
        String origin = "https://shop.example";
        assertEquals("bad signature", ((TokenCheck.Invalid) checker.check(signed(generate("k1"), claims("a").build()),
                origin)).why(), "same kid, another key");
        assertEquals("expired", ((TokenCheck.Invalid) checker.check(signed(key, claims("b")
                .expirationTime(Date.from(NOW)).build()), origin)).why());
        assertEquals("not issued for this eP-CSCF", ((TokenCheck.Invalid) checker.check(signed(key, claims("c")
                .audience("someone-else").build()), origin)).why());
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("d").build());
        hmac.sign(new MACSigner(new byte[32]));
        assertEquals("not signed with ES256", ((TokenCheck.Invalid) checker.check(hmac.serialize(), origin)).why(),
                "RFC 8725 §3.1: the algorithm is pinned");
        assertInstanceOf(TokenCheck.Invalid.class, checker.check("not.a.jwt", origin));
    }
}

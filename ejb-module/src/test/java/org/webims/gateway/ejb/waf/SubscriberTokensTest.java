package org.webims.gateway.ejb.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** The WAF's check of an identity provider's access token (RFC 8693 subject_token), with a key of the test's own. */
class SubscriberTokensTest {
    private static final String ISSUER = "https://idp.example/realms/ims";
    private final RSAKey key = generate("idp-1");
    private final RSAKey stranger = generate("idp-1"); // same kid, another key
    private final SubscriberTokens tokens = new SubscriberTokens(ISSUER, "webims-waf",
            new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())), "impu", "impi");

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience("webims-waf").subject("0b1c")
                .claim("azp", "webims-softphone").claim("impu", "sip:Alice@IMS.Example.test")
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private static String signed(RSAKey with, JWTClaimsSet set) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID())
                .type(JOSEObjectType.JWT).build(), set);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    private String refusal(String token) {
        return assertThrows(SubscriberTokens.Refused.class, () -> tokens.check(token)).getMessage();
    }

    @Test
    void aGoodTokenGivesTheSubscribersIdentitiesAndItsClient() throws Exception {
        SubscriberTokens.Subscriber alice = tokens.check(signed(key, claims().build()));
        assertEquals("sip:Alice@ims.example.test", alice.impu());
        assertEquals("Alice@ims.example.test", alice.impi(), "TS 23.003: the IMPI follows the IMPU when not given");
        assertEquals("webims-softphone", alice.authorisedParty());
        assertEquals("alice.private@ims.example.test", tokens.check(signed(key, claims()
                .claim("impi", "alice.private@ims.example.test").build())).impi());
    }

    @Test
    void badSignaturesAlgorithmsIssuersAudiencesAndExpiriesAreRefused() throws Exception {
        assertTrue(refusal(signed(stranger, claims().build())).contains("refused"));
        assertTrue(refusal(new PlainJWT(claims().build()).serialize()).contains("refused"), "RFC 8725 §3.1: no none");
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        hmac.sign(new MACSigner(new byte[32]));
        assertTrue(refusal(hmac.serialize()).contains("refused"), "RFC 8725 §3.1: never HMAC with a public key");
        refusal(signed(key, claims().issuer("https://evil.example").build()));
        refusal(signed(key, claims().audience("account").build()));
        refusal(signed(key, claims().expirationTime(Date.from(Instant.now().minusSeconds(120))).build()));
        assertEquals("the subject_token is not a JWT", refusal("not-a-token"));
    }

    @Test
    void aTokenWithoutAnImpuOrAnAuthorisedPartyIsRefused() throws Exception {
        assertTrue(refusal(signed(key, claims().claim("impu", null).build())).contains("no IMS public identity"));
        assertTrue(refusal(signed(key, claims().claim("impu", "alice").build())).contains("no IMS public identity"));
        assertTrue(refusal(signed(key, claims().claim("azp", null).build())).contains("azp"));
        assertTrue(refusal(signed(key, claims().claim("impi", "a\"b").build())).contains("private identity"),
                "nothing that could break the Authorization header toward the core");
        assertTrue(refusal(signed(key, claims().claim("impu", "tel:+15550100").build())).contains("private identity"),
                "no IMPI can be derived from a tel URI");
        assertEquals("shop", tokens.check(signed(key, claims().claim("client_id", "shop").build())).authorisedParty(),
                "RFC 9068 client_id first");
    }

    @Test
    void theDiscoveryDocumentMustNameTheConfiguredIssuer() throws Exception {
        String document = "{\"issuer\":\"" + ISSUER + "\",\"authorization_endpoint\":\"" + ISSUER + "/auth\","
                + "\"token_endpoint\":\"" + ISSUER + "/token\",\"jwks_uri\":\"" + ISSUER + "/certs\"}";
        IdentityProvider idp = IdentityProvider.parse(ISSUER, document);
        assertEquals("https://idp.example", idp.origin());
        assertEquals(ISSUER + "/certs", idp.jwksUri());
        assertThrows(IOException.class, () -> IdentityProvider.parse("https://other.example", document),
                "OpenID Connect Discovery §4.3");
        assertThrows(IOException.class, () -> IdentityProvider.parse(ISSUER, "{\"issuer\":\"" + ISSUER + "\"}"));
        String plain = "http://idp.example/realms/ims";
        assertThrows(IOException.class, () -> IdentityProvider.parse(plain, document.replace(ISSUER, plain)),
                "its keys could be changed in transit");
        String loopback = "http://127.0.0.1:8280/realms/ims";
        assertEquals(loopback + "/certs", IdentityProvider.parse(loopback, document.replace(ISSUER, loopback)).jwksUri(),
                "a demo provider on this host");
    }
}

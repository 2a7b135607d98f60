package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.support.PolicyAdmin;
import org.webims.gateway.it.support.Waf;

/**
 * The WAF's token endpoint (TS 24.371 §6.1 scenario 3, RFC 6749 §4.4): a provider's backend with its client
 * credentials gets a short-lived ES256 JWT for an identity of its guest pool, verifiable against {@code /waf/jwks};
 * errors as RFC 6749 §5.2 says; an exhausted pool 503 with Retry-After; a secret shown once and replaceable.
 */
class WafTokenIT extends GatewayTestBase {
    private final PolicyAdmin policy = new PolicyAdmin();
    private final Waf waf = new Waf(policy);

    @AfterEach
    void unrestricted() throws Exception {
        policy.clear();
    }

    private String secretOf(String provider) throws Exception {
        return waf.secretOf(provider);
    }

    private HttpResponse<String> token(String clientId, String secret, String form) throws Exception {
        return waf.token(clientId, secret, form);
    }

    private static JsonObject json(String text) {
        return Waf.json(text);
    }

    @Test
    void aProviderGetsAGuestTokenSignedWithAPublishedKey() throws Exception {
        policy.putProvider("shop", "{\"origins\": [\"http://127.0.0.1:8197\"], \"guestDestinations\": [\"+15550100\"],"
                + " \"guestPool\": {\"pattern\": \"sip:wguest-{n}@ims.example.test\", \"size\": 2}}");
        String secret = secretOf("shop");
        HttpResponse<String> issued = token("shop", secret, "grant_type=client_credentials&scope=guest");
        assertEquals(200, issued.statusCode(), issued.body());
        assertEquals("no-store", issued.headers().firstValue("Cache-Control").orElse(""));
        JsonObject body = json(issued.body());
        assertEquals("Bearer", body.getString("token_type"));
        assertEquals(TestBed.WAF_TOKEN_SECONDS, body.getInt("expires_in"), "gateway.waf.token-seconds");
        assertEquals("sip:wguest-0@ims.example.test", body.getString("impu"));

        SignedJWT jwt = SignedJWT.parse(body.getString("access_token"));
        String jwks = waf.get("jwks").body();
        ECKey key = (ECKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(key != null && !key.isPrivate(), "the kid is published, without its private part: " + jwks);
        assertTrue(jwt.verify(new ECDSAVerifier(key)), "signed by the published key");
        assertEquals("at+jwt", jwt.getHeader().getType().getType(), "RFC 9068 access token");
        var claims = jwt.getJWTClaimsSet();
        assertEquals("sip:wguest-0@ims.example.test", claims.getSubject());
        assertEquals("wguest-0@ims.example.test", claims.getStringClaim("impi"));
        assertEquals("shop", claims.getStringClaim("provider"));
        assertEquals(java.util.List.of("+15550100"), claims.getStringListClaim("destinations"));
        assertTrue(claims.getExpirationTime().before(new Date(System.currentTimeMillis() + 301_000)));
        assertFalse(claims.getJWTID().isBlank());
    }

    @Test
    void errorsAreThoseOfRfc6749AndAnExhaustedPoolAsksToWait() throws Exception {
        policy.putProvider("tiny", "{\"guestPool\": {\"pattern\": \"sip:tguest-{n}@ims.example.test\", \"size\": 1,"
                + " \"quarantineSeconds\": 60}}");
        String secret = secretOf("tiny");
        HttpResponse<String> anonymous = token(null, null, "grant_type=client_credentials&scope=guest");
        assertEquals(401, anonymous.statusCode());
        assertEquals("invalid_client", json(anonymous.body()).getString("error"));
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertEquals(401, token("tiny", secret + "x", "grant_type=client_credentials&scope=guest").statusCode());
        assertEquals(401, token("tiny%zz", secret, "grant_type=client_credentials&scope=guest").statusCode(),
                "a bad escape in the credentials is no credentials, never a 500");
        HttpResponse<String> inUrl = waf.token("tiny", secret, "", "?grant_type=client_credentials&scope=guest");
        assertEquals(400, inUrl.statusCode(), "RFC 6749 §3.2: parameters in the body only");
        assertEquals("invalid_request", json(inUrl.body()).getString("error"));
        assertEquals("unsupported_grant_type", json(token("tiny", secret, "grant_type=password&scope=guest").body())
                .getString("error"));
        assertEquals("invalid_scope", json(token("tiny", secret, "grant_type=client_credentials&scope=admin").body())
                .getString("error"));

        assertEquals(200, token("tiny", secret, "grant_type=client_credentials&scope=guest").statusCode());
        HttpResponse<String> full = token("tiny", secret, "grant_type=client_credentials&scope=guest");
        assertEquals(503, full.statusCode(), full.body());
        assertEquals("temporarily_unavailable", json(full.body()).getString("error"));
        long retryAfter = Long.parseLong(full.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter > 60 && retryAfter <= 60 + TestBed.WAF_TOKEN_SECONDS,
                "token lifetime plus quarantine: " + retryAfter);

        String replaced = secretOf("tiny");
        assertEquals(401, token("tiny", secret, "grant_type=client_credentials&scope=guest").statusCode(),
                "the old secret no longer works");
        assertEquals(503, token("tiny", replaced, "grant_type=client_credentials&scope=guest").statusCode());
        assertEquals(404, policy.send("POST", "providers/nobody/credentials", null).statusCode());
        JsonObject audited = Waf.json("{\"c\":" + policy.send("GET", "changes?limit=1", null).body() + "}")
                .getJsonArray("c").getJsonObject(0);
        assertEquals("SECRET", audited.getString("action"), "a new secret is in the audit trail, without it");
        assertFalse(audited.toString().contains(replaced));
    }

    @Test
    void noSecretOrTokenReachesTheLog() throws Exception {
        policy.putProvider("quiet", "{\"guestPool\": {\"pattern\": \"sip:qguest-{n}@ims.example.test\", \"size\": 5}}");
        String secret = secretOf("quiet");
        String accessToken = json(token("quiet", secret, "grant_type=client_credentials&scope=guest").body())
                .getString("access_token");
        token("quiet", secret + "wrong", "grant_type=client_credentials&scope=guest");
        String log = Files.readString(Path.of(System.getProperty("jboss.home"), "standalone", "log", "server.log"));
        assertFalse(log.contains(secret), "the client secret is never logged");
        assertFalse(log.contains(accessToken.substring(accessToken.lastIndexOf('.') + 1)), "nor the token");
    }
}

package org.webims.gateway.ejb.waf;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.webims.gateway.ports.identity.AccessTokens;
import org.webims.gateway.ports.identity.TokenCheck;

/**
 * The eP-CSCF's check of a WAF token (RFC 8725 §3: the algorithm pinned to ES256, the key by {@code kid} among the
 * WAF's own, issuer, audience and expiry verified; RFC 7519 §4.1.7: a {@code jti} is used once), and that it is
 * presented from a page of its provider (the handshake's Origin). The seen {@code jti}s are kept until their token
 * expires, at most {@link #MAX_REMEMBERED}: beyond, new tokens are refused rather than replays let through.
 */
public final class TokenChecker implements AccessTokens {
    static final int MAX_REMEMBERED = 100_000;
    private final Supplier<List<ECKey>> keys;
    private final String issuer;
    private final String audience;
    private final BiPredicate<String, String> originOfProvider;
    private final Clock clock;
    /** jti → expiry, in the order seen: tokens have one lifetime, so the oldest entries expire first. */
    private final java.util.LinkedHashMap<String, Instant> seen = new java.util.LinkedHashMap<>();

    public TokenChecker(Supplier<List<ECKey>> keys, String issuer, String audience,
            BiPredicate<String, String> originOfProvider, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.originOfProvider = originOfProvider;
        this.clock = clock;
    }

    @Override
    public TokenCheck check(String token, String origin) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return new TokenCheck.Invalid("not a JWT");
        }
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
            return new TokenCheck.Invalid("not signed with ES256");
        }
        Optional<ECKey> key = keys.get().stream().filter(k -> k.getKeyID().equals(jwt.getHeader().getKeyID()))
                .findFirst();
        try {
            if (key.isEmpty() || !jwt.verify(new ECDSAVerifier(key.get().toECPublicKey()))) {
                return new TokenCheck.Invalid("bad signature");
            }
        } catch (JOSEException e) {
            return new TokenCheck.Invalid("bad signature");
        }
        Instant now = clock.instant();
        if (!issuer.equals(claims.getIssuer()) || claims.getAudience() == null
                || !claims.getAudience().contains(audience)) {
            return new TokenCheck.Invalid("not issued for this eP-CSCF");
        }
        if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)) {
            return new TokenCheck.Invalid("expired");
        }
        String provider;
        String impi;
        boolean guest;
        List<String> destinations;
        try {
            provider = claims.getStringClaim("provider");
            impi = claims.getStringClaim("impi");
            guest = Boolean.TRUE.equals(claims.getBooleanClaim("guest"));
            destinations = claims.getStringListClaim("destinations");
        } catch (ParseException e) {
            return new TokenCheck.Invalid("malformed claims");
        }
        if (claims.getSubject() == null || impi == null || provider == null || claims.getJWTID() == null) {
            return new TokenCheck.Invalid("claims missing");
        }
        if (!originOfProvider.test(provider, origin)) {
            return new TokenCheck.Forbidden("Origin " + origin + " is not a page of provider " + provider);
        }
        if (!firstUse(claims.getJWTID(), claims.getExpirationTime().toInstant(), now)) {
            return new TokenCheck.Invalid("already used");
        }
        return new TokenCheck.Valid(claims.getSubject(), impi, provider, guest,
                destinations == null ? List.of() : destinations, claims.getExpirationTime().toInstant());
    }

    private synchronized boolean firstUse(String jti, Instant expires, Instant now) {
        var oldest = seen.values().iterator();
        while (oldest.hasNext() && !oldest.next().isAfter(now)) {
            oldest.remove(); // amortised O(1): only the expired head is touched
        }
        if (seen.containsKey(jti) || seen.size() >= MAX_REMEMBERED) {
            return false;
        }
        seen.put(jti, expires);
        return true;
    }
}

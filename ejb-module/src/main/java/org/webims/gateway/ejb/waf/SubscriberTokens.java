package org.webims.gateway.ejb.waf;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.util.Set;
import org.webims.gateway.ejb.policy.PolicyRules;
import org.webims.gateway.ports.policy.Impus;

/**
 * The WAF's check of an access token the operator's identity provider issued to a subscriber (TS 24.371 §6.1
 * scenario 2; RFC 8693 {@code subject_token}): signed by one of the provider's published keys with an asymmetric
 * algorithm (RFC 8725 §3.1: never {@code none} nor HMAC), from the configured issuer, for the WAF's audience, not
 * expired, and carrying the subscriber's IMS public identity in the configured claim. The key set is fetched and
 * cached by Nimbus; this class holds no state of its own.
 */
public final class SubscriberTokens {
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    /** Who the subject token says signed in: the subscriber's IMPU and IMPI, and the client it was issued to. */
    public record Subscriber(String impu, String impi, String authorisedParty) {
    }

    /** Why a subject token is refused: said to the client as RFC 8693 §2.2.2 {@code invalid_request}. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super(why, null, false, false);
        }
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String impuClaim;
    private final String impiClaim;

    public SubscriberTokens(String issuer, String audience, JWKSource<SecurityContext> keys, String impuClaim,
            String impiClaim) {
        this.impuClaim = impuClaim;
        this.impiClaim = impiClaim;
        // RFC 9068 §4: at+jwt; identity providers that predate it (Keycloak among them) type their tokens JWT
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ASYMMETRIC, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp")));
    }

    /** The subscriber a valid token is for; {@link Refused} says why a token is not one. */
    public Subscriber check(String token) throws Refused {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new Refused("the subject_token is not a JWT");
        } catch (BadJOSEException e) {
            throw new Refused("the subject_token was refused: " + e.getMessage());
        } catch (com.nimbusds.jose.JOSEException | RuntimeException e) {
            throw new Refused("the subject_token could not be checked against the identity provider's keys");
        }
        String impu;
        String impi;
        String azp;
        try {
            impu = claims.getStringClaim(impuClaim);
            impi = claims.getStringClaim(impiClaim);
            azp = claims.getStringClaim("azp"); // OpenID Connect Core §2: the party the token was issued to
        } catch (ParseException e) {
            throw new Refused("the subject_token's claims are malformed");
        }
        if (impu == null || !PolicyRules.isImpu(impu)) {
            throw new Refused("the subject_token has no IMS public identity in claim " + impuClaim);
        }
        if (azp == null) {
            throw new Refused("the subject_token names no authorised party (azp)");
        }
        String normalised = Impus.normalise(impu);
        return new Subscriber(normalised, impi != null ? impi : WafService.impi(normalised), azp);
    }
}

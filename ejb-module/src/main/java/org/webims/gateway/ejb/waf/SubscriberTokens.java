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

    /** TS 23.003 §13.3: an IMPI is a network access identifier, user@realm (RFC 7542), nothing a header could break. */
    private static final java.util.regex.Pattern NAI = java.util.regex.Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,128}@[A-Za-z0-9.-]{1,253}");

    /**
     * Who the subject token says signed in: the subscriber's IMPU and IMPI, the client it was issued to, and when the
     * sign-in's token expires (a WAF token never outlives it).
     */
    public record Subscriber(String impu, String impi, String authorisedParty, java.time.Instant expires) {
    }

    /** The identity provider's keys cannot be fetched now: said to the client as 503, to try again later. */
    public static final class Unavailable extends Refused {
        private static final long serialVersionUID = 1L;

        Unavailable(String why) {
            super(why);
        }
    }

    /** Why a subject token is refused: said to the client as RFC 8693 §2.2.2 {@code invalid_request}. */
    public static class Refused extends Exception {
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
        // RFC 9068 §4 asks for at+jwt (or application/at+jwt); identity providers that predate it, Keycloak among
        // them, type their access tokens JWT: a deliberate deviation, taken because the audience pins the token to us
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));
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
            // a fixed text: the library's message would echo what the caller put in the token
            throw new Refused("the subject_token was refused: its signature, issuer, audience or expiry is not"
                    + " acceptable");
        } catch (com.nimbusds.jose.KeySourceException e) {
            throw new Unavailable("the identity provider's keys cannot be fetched now");
        } catch (com.nimbusds.jose.JOSEException | RuntimeException e) {
            throw new Refused("the subject_token could not be checked against the identity provider's keys");
        }
        String impu;
        String impi;
        String azp;
        try {
            impu = claims.getStringClaim(impuClaim);
            impi = claims.getStringClaim(impiClaim);
            // RFC 9068 §2.2 client_id, else azp (OpenID Connect Core §2, which Keycloak puts in its access tokens too)
            azp = claims.getStringClaim("client_id") != null ? claims.getStringClaim("client_id")
                    : claims.getStringClaim("azp");
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
        String privateIdentity = impi != null ? impi : WafService.impi(normalised);
        if (!NAI.matcher(privateIdentity).matches()) {
            throw new Refused("the subject_token's IMS private identity is not user@realm");
        }
        return new Subscriber(normalised, privateIdentity, azp, claims.getExpirationTime().toInstant());
    }
}

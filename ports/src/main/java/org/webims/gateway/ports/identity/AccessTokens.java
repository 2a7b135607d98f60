package org.webims.gateway.ports.identity;

/**
 * Checks an access token a WebRTC client presents at REGISTER (RFC 8898 Bearer): signature, issuer, audience,
 * expiry, single use, and that the page it came from (the WebSocket handshake's Origin) is its provider's. Pure CPU
 * on keys held in memory: called on the request's queue, it returns at once.
 */
@FunctionalInterface
public interface AccessTokens {
    /**
     * The provider a token names when the operator's own softphone obtained it (TS 24.371 scenario 2 on the WWSF's
     * page): no third party's id can take this form, and its page is one no third party claims.
     */
    String OPERATOR = "@operator";

    TokenCheck check(String token, String origin);

    /** A guest's identity is in use by a connection: its lease lasts until {@link #released}. */
    default void inUse(String provider, String impu) {
    }

    /** A guest's connection closed: its identity rests for the pool's quarantine, then goes to another guest. */
    default void released(String provider, String impu) {
    }

    /** No WAF: every token is refused. */
    static AccessTokens none() {
        return (token, origin) -> new TokenCheck.Invalid("access tokens are not accepted here");
    }
}

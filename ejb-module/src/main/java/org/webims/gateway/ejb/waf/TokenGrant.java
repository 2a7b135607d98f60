package org.webims.gateway.ejb.waf;

/** What the token endpoint answers (RFC 6749 §5.1 and §5.2). */
public sealed interface TokenGrant {

    /**
     * {@code access_token}, {@code expires_in}, the identity it is for and, for a token exchange, the
     * {@code issued_token_type} (RFC 8693 §2.2.1; null otherwise).
     */
    record Issued(String accessToken, long expiresInSeconds, String impu, String issuedTokenType)
            implements TokenGrant {
    }

    /**
     * An RFC 6749 §5.2 error: {@code error}, a description, the HTTP status (400, 401 for invalid_client, 503 with
     * {@code retryAfterSeconds} when the guest pool is exhausted).
     */
    record Refused(int status, String error, String description, long retryAfterSeconds) implements TokenGrant {
        static Refused of(int status, String error, String description) {
            return new Refused(status, error, description, 0);
        }
    }
}

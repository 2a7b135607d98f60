package org.webims.gateway.ejb.waf;

/**
 * The parameters of a token request (RFC 6749 §4.4.2, RFC 8693 §2.1): the client's id and secret when it
 * authenticated (both null for a public client), the grant, and what each grant needs; absent ones are null.
 */
public record TokenRequest(String clientId, String clientSecret, String grantType, String scope,
        String subjectToken, String subjectTokenType, String requestedTokenType) {

    @Override
    public String toString() { // never the secret nor the token, should a record end up in a log
        return "TokenRequest[clientId=" + clientId + ", grantType=" + grantType + ", scope=" + scope + "]";
    }
}

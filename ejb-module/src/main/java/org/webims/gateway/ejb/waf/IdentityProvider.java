package org.webims.gateway.ejb.waf;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's OpenID Connect identity provider as its discovery document describes it (OpenID Connect Discovery
 * 1.0 §4): where a browser signs in, where it redeems the code, where the signing keys are. The document must name the
 * configured issuer exactly (§4.3), or it is not the provider the operator configured.
 */
public record IdentityProvider(String issuer, String authorizationEndpoint, String tokenEndpoint, String jwksUri,
        String endSessionEndpoint) {
    /** Limits of a fetch of the document (connect and read timeouts in ms, size in bytes). */
    private static final int TIMEOUT_MS = 3000;
    private static final int MAX_BYTES = 64 * 1024;

    /** Fetches and checks the issuer's discovery document; blocks up to a few seconds (never on a SIP thread). */
    public static IdentityProvider discover(String issuer) throws IOException {
        secure(issuer, issuer);
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URL url = URI.create(base + "/.well-known/openid-configuration").toURL();
        String body = new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, MAX_BYTES).retrieveResource(url)
                .getContent();
        return parse(issuer, body);
    }

    static IdentityProvider parse(String issuer, String document) throws IOException {
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(document);
        } catch (ParseException e) {
            throw new IOException("the discovery document of " + issuer + " is not JSON", e);
        }
        String named = text(json, "issuer").orElse(null);
        if (!issuer.equals(named)) {
            throw new IOException("the discovery document of " + issuer + " names issuer " + named); // §4.3
        }
        secure(issuer, issuer);
        return new IdentityProvider(issuer, required(json, "authorization_endpoint", issuer),
                required(json, "token_endpoint", issuer), required(json, "jwks_uri", issuer),
                text(json, "end_session_endpoint").orElse(null));
    }

    /** The scheme, host and port of the provider, for the softphone's Content-Security-Policy connect-src. */
    public String origin() {
        URI uri = URI.create(tokenEndpoint);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String required(Map<String, Object> json, String name, String issuer) throws IOException {
        String value = text(json, name).filter(v -> v.startsWith("https://") || v.startsWith("http://"))
                .orElseThrow(() -> new IOException("the discovery document of " + issuer + " has no " + name));
        return secure(value, issuer);
    }

    /**
     * The provider's addresses are https (OpenID Connect Discovery §3; whoever could change its keys in transit
     * could sign in as anyone), except on this host's loopback, where a demo or test provider runs.
     */
    private static String secure(String url, String issuer) throws IOException {
        URI uri = URI.create(url);
        boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost())
                || "[::1]".equals(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new IOException("the identity provider " + issuer + " must be reached over https, not " + url);
        }
        return url;
    }

    private static Optional<String> text(Map<String, Object> json, String name) {
        return json.get(name) instanceof String value ? Optional.of(value) : Optional.empty();
    }
}

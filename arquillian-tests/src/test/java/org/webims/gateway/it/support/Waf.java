package org.webims.gateway.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.webims.gateway.it.TestBed;
import org.webims.gateway.it.client.TestTls;

/** The WAF as a provider's backend uses it: its client secret from the admin API, then tokens at /waf/token. */
public final class Waf {
    public static final String BASE = "https://127.0.0.1:" + TestBed.HTTPS_PORT + "/waf/";
    private final HttpClient http = HttpClient.newBuilder().sslContext(TestTls.trustingEveryCertificate())
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final PolicyAdmin policy;

    public Waf(PolicyAdmin policy) {
        this.policy = policy;
    }

    /** {@code POST /api/policy/providers/{id}/credentials}: the new secret (the answer must be 201). */
    public String secretOf(String provider) throws Exception {
        HttpResponse<String> created = policy.send("POST", "providers/" + provider + "/credentials", null);
        if (created.statusCode() != 201) {
            throw new AssertionError("credentials of " + provider + ": " + created.statusCode() + " " + created.body());
        }
        String secret = json(created.body()).getString("clientSecret");
        IssuedSecrets.remember(secret);
        return secret;
    }

    /** {@code POST /waf/token} with HTTP Basic client credentials (none when clientId is null). */
    public HttpResponse<String> token(String clientId, String secret, String form) throws Exception {
        return token(clientId, secret, form, "");
    }

    /** As {@link #token(String, String, String)}, with a query string after the path (which the WAF refuses). */
    public HttpResponse<String> token(String clientId, String secret, String form, String query) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + "token" + query))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (clientId != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A guest token of the provider, as JSON (access_token, impu, ...). */
    public JsonObject guestToken(String provider, String secret) throws Exception {
        HttpResponse<String> issued = token(provider, secret, "grant_type=client_credentials&scope=guest");
        if (issued.statusCode() != 200) {
            throw new AssertionError("guest token of " + provider + ": " + issued.statusCode() + " " + issued.body());
        }
        return json(issued.body());
    }

    /** RFC 8693: exchanges a subscriber's identity-provider token (client authenticated unless clientId is null). */
    public HttpResponse<String> exchange(String clientId, String secret, String subjectToken) throws Exception {
        return token(clientId, secret, "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token=" + enc(subjectToken)
                + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token"));
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(BASE + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}

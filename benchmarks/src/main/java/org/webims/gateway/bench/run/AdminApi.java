package org.webims.gateway.bench.run;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The gateway's admin REST API as the run uses it: over https (the API refuses plain HTTP) on 127.0.0.1, trusting the
 * server's self-signed certificate, with the admin user {@link GatewayTarget} wrote into its own copy of the server.
 */
final class AdminApi {
    private final URI base;
    private final String authorization;
    private final HttpClient http;

    AdminApi(int httpsPort, String user, String password) {
        this.base = URI.create("https://" + Ports.HOST + ":" + httpsPort + "/api/");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(trustingAll()).build();
    }

    /** Live calls the gateway holds ({@code GET /api/calls}). */
    int calls() throws IOException {
        return countArrayElements(send("GET", "calls", null));
    }

    /** {@code PUT /api/policy/<path>} with a JSON body; fails unless 200 or 201. */
    void putPolicy(String path, String json) throws IOException {
        send("PUT", "policy/" + path, json);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String send(String method, String path, String json) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", authorization)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException(method + " /api/" + path + ": " + response.statusCode() + " "
                        + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * The number of elements of a top-level JSON array (without a JSON library: commas at depth one, outside
     * strings); -1 when the text is not an array.
     */
    static int countArrayElements(String json) {
        String text = json.strip();
        if (!text.startsWith("[") || !text.endsWith("]")) {
            return -1;
        }
        int depth = 0;
        int commas = 0;
        boolean inString = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '[', '{' -> depth++;
                case ']', '}' -> depth--;
                case ',' -> commas += depth == 1 ? 1 : 0;
                default -> { }
            }
            if (depth >= 1 && !Character.isWhitespace(c) && !(depth == 1 && (c == '[' || c == ','))) {
                any = true;
            }
        }
        return any ? commas + 1 : 0;
    }

    /**
     * The server's certificate is self-signed, generated at its first start for "localhost" while the run connects
     * to 127.0.0.1: nothing to check it against. An extended trust manager, so that JSSE does not add its own host
     * name check either (it wraps a plain X509TrustManager in one that does).
     */
    private static SSLContext trustingAll() {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

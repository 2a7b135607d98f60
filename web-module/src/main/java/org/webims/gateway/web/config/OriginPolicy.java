package org.webims.gateway.web.config;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which web origins may open the SIP WebSocket (RFC 6455 §10.2, RFC 7118 §7): the page's own origin always, the
 * origins listed in {@code gateway.ws.allowed-origins} too, and any origin only when the list is {@code *}
 * (development).
 */
public record OriginPolicy(Set<String> allowed, boolean any) {

    public static OriginPolicy parse(String list) {
        Set<String> origins = Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(o -> o.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        return new OriginPolicy(origins, origins.contains("*"));
    }

    /**
     * @param origin the Origin header, or null when the client sent none: not a browser, so not a page of another
     *     site riding on the user's browser, which is what the check is for (RFC 6455 §10.2)
     * @param host the Host header the client connected to
     * @param secure whether the connection is TLS
     */
    public boolean allows(String origin, String host, boolean secure) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        String normalized = origin.trim().toLowerCase(Locale.ROOT);
        if (any || allowed.contains(normalized)) {
            return true;
        }
        return host != null && sameOrigin(normalized, host.trim().toLowerCase(Locale.ROOT), secure);
    }

    private static boolean sameOrigin(String origin, String host, boolean secure) {
        try {
            URI uri = URI.create(origin);
            String scheme = secure ? "https" : "http";
            int defaultPort = secure ? 443 : 80;
            int port = uri.getPort() > 0 ? uri.getPort() : defaultPort;
            String expectedHost = host.contains(":") && !host.endsWith("]") ? host : host + ":" + defaultPort;
            return scheme.equals(uri.getScheme()) && (uri.getHost() + ":" + port).equals(expectedHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

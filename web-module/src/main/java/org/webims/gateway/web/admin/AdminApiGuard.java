package org.webims.gateway.web.admin;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.CanonicalPathUtils;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import org.webims.gateway.sip.logging.RateLimitedLog;

/**
 * Runs before the servlet container's security (an Undertow initial handler), so neither refusal below ever
 * reaches an authentication challenge or a credential check:
 * <ul>
 * <li>{@code /api/*} and {@code /admin/*} over plain HTTP get 403 naming the https port, without WWW-Authenticate, so a browser never
 * sends the admin password in clear (RFC 7617 §4: Basic credentials are cleartext); a request carrying credentials
 * over plain HTTP is refused the same way wherever it goes;</li>
 * <li>a source serving a penalty for failed authentications gets 429 with Retry-After (RFC 6585 §4).</li>
 * </ul>
 * A 401 to a request that carried credentials counts as a failure of its source; any other answer clears it.
 */
final class AdminApiGuard implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(AdminApiGuard.class.getName());
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);

    private final HttpHandler next;
    private final FailedLoginThrottle throttle;
    private final AdminAccessSettings settings;

    AdminApiGuard(HttpHandler next, FailedLoginThrottle throttle, AdminAccessSettings settings) {
        this.next = next;
        this.throttle = throttle;
        this.settings = settings;
    }

    /**
     * The admin API's and admin pages' paths as the container would match them (canonical, repeated slashes as one):
     * the pages ask for the same login and call the API, so they are held to the same rules.
     */
    static boolean isAdminApi(String relativePath) {
        String path = CanonicalPathUtils.canonicalize(relativePath).replaceAll("/{2,}", "/");
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/admin") || path.startsWith("/admin/");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        boolean credentials = exchange.getRequestHeaders().contains(Headers.AUTHORIZATION);
        boolean adminApi = isAdminApi(exchange.getRelativePath());
        if (!exchange.isSecure() && (adminApi || credentials)) {
            refuseCleartext(exchange);
            return;
        }
        if (!adminApi) {
            next.handleRequest(exchange);
            return;
        }
        String source = FailedLoginThrottle.sourceKey(exchange.getSourceAddress().getAddress());
        Optional<Duration> wait = throttle.penaltyLeft(source);
        if (wait.isPresent()) {
            refuseThrottled(exchange, source, wait.get());
            return;
        }
        if (credentials) {
            exchange.addExchangeCompleteListener((done, nextListener) -> {
                try {
                    countOutcome(source, done.getStatusCode());
                } finally {
                    nextListener.proceed();
                }
            });
        }
        next.handleRequest(exchange);
    }

    private void countOutcome(String source, int status) {
        if (status == StatusCodes.UNAUTHORIZED) {
            if (throttle.failed(source)) {
                REFUSALS.warning("admin API source throttled", () -> "Admin API: " + source + " made "
                        + settings.maxFailures() + " failed authentications within "
                        + settings.failureWindow().toSeconds() + " s: refused for "
                        + settings.penalty().toSeconds() + " s");
            }
        } else if (status < 400) {
            throttle.succeeded(source);
        }
    }

    private void refuseCleartext(HttpServerExchange exchange) {
        REFUSALS.info("admin API over plain HTTP", () -> "Admin API request over plain HTTP from "
                + exchange.getSourceAddress().getAddress().getHostAddress() + " refused: https only");
        exchange.setStatusCode(StatusCodes.FORBIDDEN);
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
        exchange.getResponseSender().send("403 Forbidden: the admin API is served over https only (port "
                + settings.httpsPort() + "); credentials are never taken over plain http.\n");
    }

    private void refuseThrottled(HttpServerExchange exchange, String source, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        REFUSALS.warning("admin API throttled request", () -> "Admin API request from " + source
                + " refused: too many failed authentications, " + seconds + " s left");
        exchange.setStatusCode(StatusCodes.TOO_MANY_REQUESTS);
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(seconds));
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
        exchange.getResponseSender().send("429 Too Many Requests: too many failed authentications from this "
                + "address; retry after " + seconds + " s.\n");
    }
}

package org.webims.gateway.web.sip;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.logging.Logger;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.web.config.GatewayConfiguration;
import org.webims.gateway.web.config.OriginPolicy;

/**
 * Refuses a WebSocket handshake on {@code /sip} before the upgrade when it does not offer the {@code sip}
 * subprotocol (RFC 7118 §4: 400) or comes from a page of a foreign origin (RFC 6455 §10.2: 403), with the cause in
 * the body and in the log.
 */
@WebFilter(urlPatterns = "/sip", asyncSupported = true)
public class WebSocketHandshakeFilter extends HttpFilter {
    private static final Logger LOG = Logger.getLogger(WebSocketHandshakeFilter.class.getName());
    /** Anyone can make refused handshakes: logged per cause at a bounded rate (issue 9, finding 14). */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);

    private volatile OriginPolicy origins;

    @Override
    public void init() {
        origins = GatewayConfiguration.current().originPolicy();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        String peer = request.getRemoteAddr() + ":" + request.getRemotePort();
        if (!offersSip(request)) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST,
                    "The SIP WebSocket needs the subprotocol 'sip' (RFC 7118): Sec-WebSocket-Protocol: sip", peer);
            return;
        }
        String origin = request.getHeader("Origin");
        if (!origins.allows(origin, request.getHeader("Host"), request.isSecure())) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "Origin not allowed: " + origin, peer);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean offersSip(HttpServletRequest request) {
        return Collections.list(request.getHeaders("Sec-WebSocket-Protocol")).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .anyMatch(WebSocketHandshakePolicy.SIP::equalsIgnoreCase);
    }

    private static void refuse(HttpServletResponse response, int status, String cause, String peer)
            throws IOException {
        REFUSALS.warning("handshake refused " + status, () -> "WebSocket handshake from " + peer + " refused with "
                + status + ": " + cause);
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println(cause);
    }
}

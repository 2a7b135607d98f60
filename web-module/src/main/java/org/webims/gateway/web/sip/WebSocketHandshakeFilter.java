package org.webims.gateway.web.sip;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.servlet.handlers.ServletRequestContext;
import io.undertow.util.AttachmentKey;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.logging.Logger;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.web.config.GatewayConfiguration;
import org.webims.gateway.web.config.OriginPolicy;

/**
 * Refuses a WebSocket handshake on {@code /sip} before the upgrade when it does not offer the {@code sip}
 * subprotocol (RFC 7118 §4: 400), comes from a page of a foreign origin (RFC 6455 §10.2: 403), or comes from an
 * address that already holds its share of connections (RFC 6455 §4.2.2 and RFC 9110 §15.6.4: 503 with
 * Retry-After), with the cause in the body and in the log. An admitted handshake takes a place of its address,
 * held by the server's connection until that closes, whether it became a WebSocket or not.
 */
@WebFilter(urlPatterns = "/sip", asyncSupported = true)
public class WebSocketHandshakeFilter extends HttpFilter {
    private static final Logger LOG = Logger.getLogger(WebSocketHandshakeFilter.class.getName());
    /** Anyone can make refused handshakes: logged per cause at a bounded rate (issue 9, finding 14). */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);

    /** Distinct addresses tracked at once; past it new addresses are refused until some close. */
    static final int MAX_ADDRESSES = 100_000;
    /** RFC 9110 §10.2.3: when a refused client may try again. */
    static final int RETRY_AFTER_SECONDS = 30;
    private static final AttachmentKey<ConnectionsPerAddress.Lease> LEASE = AttachmentKey.create(
            ConnectionsPerAddress.Lease.class);

    private volatile OriginPolicy origins;
    private volatile ConnectionsPerAddress connections;
    private volatile ForwardedFor forwardedFor;

    @Inject
    HandshakeContexts contexts;

    @Override
    public void init() {
        GatewayConfiguration configuration = GatewayConfiguration.current();
        origins = configuration.originPolicy();
        connections = new ConnectionsPerAddress(configuration.webSocketLimits().maxConnectionsPerAddress(),
                MAX_ADDRESSES);
        forwardedFor = ForwardedFor.parse(configuration.trustedProxies());
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
        HttpServerExchange exchange = ServletRequestContext.requireCurrent().getExchange();
        if (!admit(exchange, response, peer)) {
            return;
        }
        remember(exchange, origin, request.getHeader("X-Forwarded-For"), peer);
        chain.doFilter(request, response);
    }

    /** The Origin (the provider) and the client's address (the access network) for the SIP side (TS 22.228 §11.2). */
    private void remember(HttpServerExchange exchange, String origin, String forwarded, String peer) {
        // the TCP peer, as the WebSocket channel will name it (never an address a proxy header rewrote)
        InetSocketAddress source = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        InetAddress client = forwardedFor.client(source.getAddress(), forwarded).orElseGet(() -> {
            REFUSALS.warning("unreadable X-Forwarded-For", () -> "WebSocket handshake from " + peer
                    + ": the trusted proxy's X-Forwarded-For '" + forwarded + "' names no client; its own address used");
            return source.getAddress();
        });
        contexts.put(source, new HandshakeContexts.ClientContext(origin, client));
        exchange.getConnection().addCloseListener(closed -> contexts.forget(source));
    }

    /** Takes a place for the connection's address, once per connection; false when refused (answered 503). */
    private boolean admit(HttpServerExchange exchange, HttpServletResponse response, String peer) throws IOException {
        ServerConnection connection = exchange.getConnection();
        if (connection.getAttachment(LEASE) != null) {
            return true;
        }
        InetAddress address = exchange.getSourceAddress().getAddress();
        ConnectionsPerAddress.Admission admission = connections.admit(address);
        if (admission.admitted()) {
            ConnectionsPerAddress.Lease lease = admission.lease().orElseThrow();
            connection.putAttachment(LEASE, lease);
            connection.addCloseListener(closed -> lease.release());
            return true;
        }
        String cause = admission.refusal().orElseThrow() == ConnectionsPerAddress.Refusal.ADDRESS_FULL
                ? "Too many connections from " + address.getHostAddress() + " (at most "
                        + connections.maxPerAddress() + ")"
                : "Too many client addresses connected";
        REFUSALS.warning("handshake refused 503", () -> "WebSocket handshake from " + peer + " refused with 503: "
                + cause);
        response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        answer(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, cause);
        return false;
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
        answer(response, status, cause);
    }

    private static void answer(HttpServletResponse response, int status, String cause) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println(cause);
    }
}

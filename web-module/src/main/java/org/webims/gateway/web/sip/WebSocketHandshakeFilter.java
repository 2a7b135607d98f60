package org.webims.gateway.web.sip;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.servlet.handlers.ServletRequestContext;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.core.WebSocketChannel;
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
import java.util.logging.Logger;
import org.webims.gateway.sip.flow.FlowSession;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.web.config.GatewayConfiguration;
import org.webims.gateway.web.config.OriginPolicy;

/**
 * The SIP WebSocket's door (RFC 7118) at {@code /sip}. Refuses a handshake before the upgrade when it does not offer
 * the {@code sip} subprotocol (RFC 7118 §4: 400), comes from a page of a foreign origin (RFC 6455 §10.2: 403), comes
 * from an address that already holds its share of connections (RFC 6455 §4.2.2 and RFC 9110 §15.6.4: 503 with
 * Retry-After) or asks for a WebSocket version other than 13 (RFC 6455 §4.4: 426), with the cause in the body and
 * in the log; an admitted handshake takes a place of its address, held by the server's connection until that closes,
 * and is answered 101 here ({@link SipWebSocketUpgrade}). The open connection becomes a flow of the SIP runtime with
 * what its handshake said: the Origin (the client's provider) and the client's address (its access network,
 * TS 22.228 §11.2).
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

    /** RFC 6455 §4.4 (RFC 9110 §15.5.22): the client asked for a WebSocket version this server does not speak. */
    static final int UPGRADE_REQUIRED = 426;
    /** RFC 6455 §7.4.1: 1001 going away. */
    private static final int GOING_AWAY = 1001;
    private final SipWebSocketUpgrade upgrade = new SipWebSocketUpgrade();

    @Inject
    SipRuntimeHost host;

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
        if (!SipWebSocketUpgrade.VERSION.equals(request.getHeader("Sec-WebSocket-Version"))) {
            response.setHeader("Sec-WebSocket-Version", SipWebSocketUpgrade.VERSION);
            refuse(response, UPGRADE_REQUIRED, "The SIP WebSocket speaks WebSocket version 13 (RFC 6455 §4.4)", peer);
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
        InetAddress client = clientOf(exchange, request.getHeader("X-Forwarded-For"), peer);
        if (!upgrade.upgrade(request, response, channel -> open(channel, origin, client))) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST,
                    "Not a WebSocket opening handshake (RFC 6455 §4.1: Connection, Upgrade, Sec-WebSocket-Key)", peer);
        }
    }

    /** The client's address for the SIP side: the TCP peer, or behind a trusted proxy the address it names. */
    private InetAddress clientOf(HttpServerExchange exchange, String forwarded, String peer) {
        InetSocketAddress source = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        return forwardedFor.client(source.getAddress(), forwarded).orElseGet(() -> {
            REFUSALS.warning("unreadable X-Forwarded-For", () -> "WebSocket handshake from " + peer
                    + ": the trusted proxy's X-Forwarded-For '" + forwarded + "' names no client; its own address used");
            return source.getAddress();
        });
    }

    /**
     * The upgraded connection becomes a flow of the SIP runtime, on the thread that completed the upgrade (the one
     * that wrote the 101).
     */
    private void open(WebSocketChannel channel, String origin, InetAddress client) {
        UndertowWebSocketConnection connection = new UndertowWebSocketConnection(channel, origin, client);
        FlowSession flow;
        try {
            flow = host.runtime().webSockets().open(connection);
        } catch (RuntimeException notOpened) { // the application is stopping, or the flow table refused it
            LOG.info(() -> "WebSocket from " + connection.remoteAddress() + " closed 1001: " + notOpened);
            connection.close(GOING_AWAY, "gateway stopping");
            return;
        }
        channel.addCloseTask(closed -> flow.onClose("connection closed")); // first: whatever follows, it ends the flow
        connection.whenClosed(flow::onClose);
        channel.setIdleTimeout(0); // liveness is the keepalive supervisor's job
        channel.getReceiveSetter().set(new SipFrameListener(flow, connection,
                host.webSocketLimits().maxBufferedMessageBytes()));
        channel.resumeReceives();
        LOG.fine(() -> "SIP WebSocket open: " + flow.flow().describe());
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

    /**
     * Whether the client's list of subprotocols names {@code sip}, exactly (RFC 7118 §4), in its first
     * Sec-WebSocket-Protocol header: the one the handshake ({@link SipWebSocketUpgrade}) answers from.
     */
    private static boolean offersSip(HttpServletRequest request) {
        String offered = request.getHeader("Sec-WebSocket-Protocol");
        return offered != null && Arrays.stream(offered.split(",")).map(String::trim)
                .anyMatch(SipWebSocketUpgrade.SIP::equals);
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

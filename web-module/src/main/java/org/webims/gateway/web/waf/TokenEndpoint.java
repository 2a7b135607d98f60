package org.webims.gateway.web.waf;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import org.webims.gateway.ejb.waf.TokenGrant;
import org.webims.gateway.ejb.waf.TokenRequest;
import org.webims.gateway.ejb.waf.WafService;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.web.admin.FailedLoginThrottle;
import org.webims.gateway.web.config.GatewayConfiguration;

/**
 * {@code POST /waf/token}, the OAuth 2.0 token endpoint (RFC 6749 §3.2): form-encoded, the client (a provider)
 * authenticated with HTTP Basic (§2.3.1) or, for an RFC 8693 token exchange only, the operator's softphone as a
 * public client; answers as §5.1 and §5.2 say, never cached (§5.1). A source with too many
 * failed client authentications waits out a penalty (429, RFC 6585 §4), as at the admin API.
 */
@WebServlet("/waf/token")
public class TokenEndpoint extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(TokenEndpoint.class.getName());
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);

    @EJB
    private WafService waf;

    private transient FailedLoginThrottle throttle;

    @Override
    public void init() {
        throttle = new FailedLoginThrottle(GatewayConfiguration.current().adminAccess(), Clock.systemUTC());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String source = FailedLoginThrottle.sourceKey(InetAddress.getByName(request.getRemoteAddr()));
        Optional<Duration> penalty = throttle.penaltyLeft(source);
        if (penalty.isPresent()) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, penalty.get().toSeconds())));
            // RFC 6585 §4; RFC 6749 §5.2 has no code for it: the nearest, temporarily_unavailable
            answer(response, 429, error("temporarily_unavailable",
                    "too many failed client authentications from this address"));
            return;
        }
        if (request.getQueryString() != null) {
            // RFC 6749 §3.2: the parameters are in the form body, never in the URL (where logs and proxies keep them)
            answer(response, 400, error("invalid_request", "parameters belong in the form body, not the URL"));
            return;
        }
        String authorization = request.getHeader("Authorization");
        String[] client = basic(authorization);
        String grantType = request.getParameter("grant_type");
        // a public client (the operator's softphone) exchanges a token without credentials (RFC 8693 §2.1)
        boolean publicExchange = authorization == null && WafService.TOKEN_EXCHANGE.equals(grantType);
        TokenGrant grant = client == null && !publicExchange
                ? new TokenGrant.Refused(401, "invalid_client", "HTTP Basic client authentication is required", 0)
                : waf.token(new TokenRequest(client == null ? null : client[0], client == null ? null : client[1],
                        grantType, request.getParameter("scope"), request.getParameter("subject_token"),
                        request.getParameter("subject_token_type"), request.getParameter("requested_token_type")));
        if (grant instanceof TokenGrant.Issued issued) {
            if (client != null) {
                throttle.succeeded(source);
            }
            JsonObjectBuilder body = Json.createObjectBuilder().add("access_token", issued.accessToken())
                    .add("token_type", "Bearer").add("expires_in", issued.expiresInSeconds())
                    .add("impu", issued.impu());
            if (issued.issuedTokenType() != null) {
                body.add("issued_token_type", issued.issuedTokenType()); // RFC 8693 §2.2.1
            }
            answer(response, 200, body);
            return;
        }
        TokenGrant.Refused refused = (TokenGrant.Refused) grant;
        if (refused.status() == 401) {
            throttle.failed(source);
            response.setHeader("WWW-Authenticate", "Basic realm=\"webims-waf\""); // RFC 6749 §5.2 invalid_client
        }
        if (refused.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", Long.toString(refused.retryAfterSeconds()));
        }
        REFUSALS.info(refused.error(), () -> "Token request from " + request.getRemoteAddr() + " refused: "
                + refused.error() + " (" + refused.description() + ")"); // never the secret
        answer(response, refused.status(), error(refused.error(), refused.description()));
    }

    /** The client id and secret of a Basic header (RFC 7617; RFC 6749 §2.3.1 form-encodes both), or null. */
    static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            return new String[] {java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException badEscape) {
            return null; // an invalid %-escape: no credentials, 401 invalid_client
        }
    }

    private static JsonObjectBuilder error(String error, String description) {
        return Json.createObjectBuilder().add("error", error).add("error_description", description);
    }

    private static void answer(HttpServletResponse response, int status, JsonObjectBuilder body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store"); // RFC 6749 §5.1
        response.setHeader("Pragma", "no-cache");
        response.getWriter().write(body.build().toString());
    }
}

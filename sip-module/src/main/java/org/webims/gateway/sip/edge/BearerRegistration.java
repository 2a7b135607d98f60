package org.webims.gateway.sip.edge;

import java.text.ParseException;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.ports.identity.AccessTokens;
import org.webims.gateway.ports.identity.TokenCheck;
import org.webims.gateway.ports.policy.Impus;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * Registration with a WAF token (TS 24.371 §6.1 scenarios 2 and 3, RFC 8898 Bearer): the eP-CSCF checks the token,
 * binds its identity to the flow (TS 33.203 Annex X.3 step 7), and registers it toward the core with trusted node
 * authentication (TS 33.203 Annex U): no client credentials, an Authorization carrying the IMPI and
 * {@code integrity-protected}. The token itself never goes further, and is never logged.
 */
final class BearerRegistration {
    private static final Logger LOG = Logger.getLogger(BearerRegistration.class.getName());
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);
    private final SipContext sip;
    private final AccessTokens tokens;

    BearerRegistration(SipContext sip, AccessTokens tokens) {
        this.sip = sip;
        this.tokens = tokens;
    }

    /** The token of a {@code Bearer} Authorization (RFC 8898 §2), if the request has one. */
    static Optional<String> bearer(Request request) {
        for (var it = request.getHeaders(AuthorizationHeader.NAME); it.hasNext();) {
            String value = valueOf((Header) it.next());
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String token = value.substring(7).trim();
                if (token.regionMatches(true, 0, "access_token=", 0, 13)) { // TS 24.371 writes it as a parameter
                    token = token.substring(13).replace("\"", "").trim();
                }
                return Optional.of(token);
            }
        }
        return Optional.empty();
    }

    /** Bearer credentials go no further than the eP-CSCF (issue 11 point 3): removed from a forwarded request. */
    static void stripBearer(Request forwarded) {
        var it = forwarded.getHeaders(AuthorizationHeader.NAME);
        java.util.List<Header> kept = new java.util.ArrayList<>();
        boolean bearer = false;
        while (it.hasNext()) {
            Header header = (Header) it.next();
            if (valueOf(header).regionMatches(true, 0, "Bearer ", 0, 7)) {
                bearer = true;
            } else {
                kept.add(header);
            }
        }
        if (bearer) {
            forwarded.removeHeader(AuthorizationHeader.NAME);
            kept.forEach(forwarded::addHeader);
        }
    }

    /**
     * Checks the REGISTER's token for the flow; answers the refusal (401 {@code invalid_token}, RFC 6750 §3.1, or
     * 403 with a Warning) and returns empty, or the identity the token authorises.
     */
    Optional<Flow.TokenIdentity> admit(ServerTransaction st, Request register, Flow flow, String token) {
        TokenCheck check = tokens.check(token, flow.connection().origin());
        if (check instanceof TokenCheck.Invalid invalid) {
            REFUSALS.info("token refused", () -> "REGISTER over " + flow.describe() + " with a token refused: "
                    + invalid.why());
            challenge(st, invalid.why());
            return Optional.empty();
        }
        if (check instanceof TokenCheck.Forbidden forbidden) {
            refuse(st, flow, forbidden.why());
            return Optional.empty();
        }
        TokenCheck.Valid valid = (TokenCheck.Valid) check;
        String to = ((ToHeader) register.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
        if (!Impus.normalise(to).equals(Impus.normalise(valid.impu()))) {
            refuse(st, flow, "the token is for another identity");
            return Optional.empty();
        }
        Flow.TokenIdentity identity = new Flow.TokenIdentity(valid.impu(), valid.impi(), valid.provider(),
                valid.guest(), valid.destinations());
        if (!flow.authorise(identity, token)) {
            refuseOtherIdentity(st, flow); // its lease was never held: it ends with the token
            return Optional.empty();
        }
        if (identity.guest()) {
            tokens.inUse(identity.provider(), identity.impu()); // leased for the life of the connection
        }
        return Optional.of(identity);
    }

    /** A REGISTER on a flow a token authorised, for another identity than the token's: 403. */
    void refuseOtherIdentity(ServerTransaction st, Flow flow) {
        refuse(st, flow, "this connection is authorised for another identity");
    }

    /**
     * TS 33.203 Annex U, TS 24.229 §5.2.2: the REGISTER toward the core carries the IMPI and says the P-CSCF
     * authenticated the user; whatever credentials the client sent are gone.
     */
    static void vouch(SipContext sip, Request forwarded, String impi) throws ParseException {
        forwarded.removeHeader(AuthorizationHeader.NAME);
        String domain = sip.settings.imsDomain();
        forwarded.addHeader(sip.headers.createHeader(AuthorizationHeader.NAME, "Digest username=\"" + impi
                + "\", realm=\"" + domain + "\", uri=\"sip:" + domain + "\", nonce=\"\", response=\"\","
                + " integrity-protected=\"" + sip.settings.tnaFlag() + "\""));
    }

    private void challenge(ServerTransaction st, String why) {
        try {
            Response response = sip.messages.createResponse(Response.UNAUTHORIZED, st.getRequest());
            response.addHeader(sip.headers.createHeader("WWW-Authenticate", "Bearer realm=\""
                    + sip.settings.imsDomain() + "\", error=\"invalid_token\""));
            response.addHeader(sip.headers.createWarningHeader(sip.settings.sipHost(), 399, "token " + why));
            st.sendResponse(response);
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException | RuntimeException e) {
            LOG.log(java.util.logging.Level.FINE, "Could not send 401", e);
        }
    }

    private void refuse(ServerTransaction st, Flow flow, String why) {
        REFUSALS.info(why, () -> "REGISTER over " + flow.describe() + " refused: " + why);
        sip.respondWithWarning(st, Response.FORBIDDEN, null, why);
    }

    private static String valueOf(Header header) {
        String text = header.toString();
        int colon = text.indexOf(':');
        return colon < 0 ? "" : text.substring(colon + 1).trim();
    }
}

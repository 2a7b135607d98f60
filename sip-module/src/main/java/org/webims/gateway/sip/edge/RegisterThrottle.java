package org.webims.gateway.sip.edge;

import java.text.ParseException;
import org.webims.gateway.sip.signalling.SipContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.throttle.AuthThrottleSettings;
import org.webims.gateway.sip.throttle.FailureThrottle;

/**
 * Online password guessing through the gateway, stopped before the core (issue 9 finding 8): the core's 401/403 to
 * a REGISTER that answered a challenge counts against its source address and its private identity (the digest
 * username); past the limit, the gateway answers such REGISTERs itself with 403, Retry-After and a Warning until
 * the penalty has passed, and relays nothing.
 */
final class RegisterThrottle {
    private static final Logger LOG = Logger.getLogger(RegisterThrottle.class.getName());
    private static final long LOG_INTERVAL_MILLIS = 10_000;

    private final SipContext sip;
    private final FailureThrottle<String> byAddress;
    private final FailureThrottle<String> byIdentity;
    private final LogGate penalties;
    private final LogGate refusals;

    RegisterThrottle(SipContext sip, AuthThrottleSettings settings, Clock clock) {
        this.sip = sip;
        this.penalties = new LogGate(clock);
        this.refusals = new LogGate(clock);
        this.byAddress = new FailureThrottle<>(settings.maxFailuresPerAddress(), settings.window(),
                settings.penalty(), settings.maxTrackedKeys(), clock);
        this.byIdentity = new FailureThrottle<>(settings.maxFailuresPerIdentity(), settings.window(),
                settings.penalty(), settings.maxTrackedKeys(), clock);
    }

    /** Answers a REGISTER from a source or for an identity under penalty; true when it did (nothing to relay). */
    boolean refuses(ServerTransaction st, Request register, Flow flow) {
        String address = address(flow);
        Optional<Duration> refusal = byAddress.refusal(address);
        String reason = "too many failed authentications from " + address;
        String identity = privateIdentity(register);
        if (refusal.isEmpty() && identity != null) {
            refusal = byIdentity.refusal(identity);
            reason = "too many failed authentications of " + identity;
        }
        if (refusal.isEmpty()) {
            return false;
        }
        long seconds = Math.max(1, (refusal.get().toMillis() + 999) / 1000);
        refuse(st, seconds, reason + "; retry after " + seconds + " s");
        refusals.log("REGISTER from {0} refused: {1}", flow.describe(), reason);
        return true;
    }

    /** The core's answer to a REGISTER we relayed: a refused answer to a challenge counts as a failure. */
    void onResponse(ProxiedTransaction proxied, Response response) {
        if (!proxied.isRegister() || proxied.flow() == null || !isAuthenticationFailure(response)) {
            return;
        }
        String identity = answeredChallengeOf(proxied.forwarded());
        if (identity == null) {
            return; // TS 24.229 §5.1.1.2: an initial REGISTER may carry a username and no answer yet
        }
        String address = address(proxied.flow());
        if (byAddress.failed(address)) {
            penalties.log("Failed authentications from {0} past the limit: its REGISTERs are refused for a while",
                    address, null);
        }
        if (byIdentity.failed(identity)) {
            penalties.log("Failed authentications of {0} past the limit: its REGISTERs are refused for a while",
                    identity, null);
        }
    }

    /** RFC 3261 §22.2, §22.3: 401 again, or 403; a 401 saying stale=true means the password was right. */
    private static boolean isAuthenticationFailure(Response response) {
        return switch (response.getStatusCode()) {
            case Response.FORBIDDEN -> true;
            case Response.UNAUTHORIZED -> {
                WWWAuthenticateHeader challenge =
                        (WWWAuthenticateHeader) response.getHeader(WWWAuthenticateHeader.NAME);
                yield challenge == null || !"true".equalsIgnoreCase(challenge.getParameter("stale"));
            }
            default -> false;
        };
    }

    /** The digest username of credentials that answer a challenge (a non-empty response), else null. */
    private static String answeredChallengeOf(Request register) {
        ListIterator<?> it = register.getHeaders(AuthorizationHeader.NAME);
        while (it.hasNext()) {
            if (it.next() instanceof AuthorizationHeader authorization && authorization.getUsername() != null
                    && authorization.getResponse() != null && !authorization.getResponse().isEmpty()) {
                return authorization.getUsername().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static String privateIdentity(Request register) {
        if (register.getHeader(AuthorizationHeader.NAME) instanceof AuthorizationHeader authorization
                && authorization.getUsername() != null) {
            return authorization.getUsername().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private static String address(Flow flow) {
        return flow.connection().remoteAddress().getAddress().getHostAddress();
    }

    /** 403 (RFC 3261 §21.4.4: authorization will not help) with when to try again (§20.33) and why (§20.43). */
    private void refuse(ServerTransaction st, long retryAfterSeconds, String warning) {
        try {
            Response response = sip.messages.createResponse(Response.FORBIDDEN, st.getRequest());
            response.setReasonPhrase("Forbidden (too many failed authentications)");
            response.addHeader(sip.headers.createRetryAfterHeader((int) Math.min(Integer.MAX_VALUE,
                    retryAfterSeconds)));
            response.addHeader(sip.headers.createWarningHeader(sip.settings.sipHost(), 399, warning));
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not refuse a throttled REGISTER", e);
        }
    }

    /** One WARNING per interval at most, counting those left out: an attacker decides how often this happens. */
    private static final class LogGate {
        private final Clock clock;
        private final AtomicLong nextLog = new AtomicLong();
        private final AtomicLong unlogged = new AtomicLong();

        LogGate(Clock clock) {
            this.clock = clock;
        }

        void log(String message, Object first, Object second) {
            long now = clock.millis();
            long next = nextLog.get();
            if (now < next || !nextLog.compareAndSet(next, now + LOG_INTERVAL_MILLIS)) {
                unlogged.incrementAndGet();
                return;
            }
            long suppressed = unlogged.getAndSet(0);
            LOG.log(Level.WARNING, message + (suppressed > 0 ? " ({2} similar lines left out)" : ""),
                    new Object[] {first, second, suppressed});
        }
    }
}

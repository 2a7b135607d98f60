package org.webims.gateway.ejb.waf;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The operator's identity provider as the WAF knows it: discovered once (OpenID Connect Discovery), then its key set
 * fetched and cached by Nimbus. Readers never wait: they see the last snapshot; one caller at a time discovers, at
 * most every {@link #BACKOFF} while the provider cannot be reached, and the others go on without it.
 */
final class OperatorIdentityProvider implements Closeable {
    static final Duration BACKOFF = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(OperatorIdentityProvider.class.getName());
    private static final int TIMEOUT_MS = 3000;
    private static final int MAX_JWKS_BYTES = 64 * 1024;

    /** What discovery found: the provider and the checker of its tokens. */
    record Discovered(IdentityProvider provider, SubscriberTokens tokens, JWKSource<SecurityContext> keys) {
    }

    private final IdentityProviderSettings settings;
    private final Clock clock;
    private final ReentrantLock discovering = new ReentrantLock();
    private volatile Discovered discovered;
    private volatile Instant failedAt;

    OperatorIdentityProvider(IdentityProviderSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The snapshot, never blocking: empty until discovered. */
    Optional<Discovered> known() {
        return Optional.ofNullable(discovered);
    }

    /** The snapshot, discovering first if it is missing and no discovery failed recently (blocks a few seconds). */
    Optional<Discovered> discover() {
        if (discovered != null || !settings.enabled()) {
            return known();
        }
        Instant failed = failedAt;
        if ((failed != null && clock.instant().isBefore(failed.plus(BACKOFF))) || !discovering.tryLock()) {
            return known(); // another request is discovering, or the provider was just found unreachable
        }
        try {
            if (discovered == null) {
                IdentityProvider idp = IdentityProvider.discover(settings.issuer());
                JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(URI.create(idp.jwksUri())
                        .toURL(), new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, MAX_JWKS_BYTES))
                        .retrying(true).build();
                discovered = new Discovered(idp, new SubscriberTokens(idp.issuer(), settings.audience(), keys,
                        settings.impuClaim(), settings.impiClaim()), keys);
                LOG.info(() -> "Identity provider " + idp.issuer() + " discovered; its keys at " + idp.jwksUri());
            }
        } catch (IOException | RuntimeException e) {
            failedAt = clock.instant();
            LOG.warning(() -> "Identity provider " + settings.issuer() + " not reachable: " + e.getMessage());
        } finally {
            discovering.unlock();
        }
        return known();
    }

    /** Stops the key set's background refresh (a redeploy must not leave its thread behind). */
    @Override
    public void close() {
        Discovered last = discovered;
        if (last != null && last.keys() instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                LOG.fine(() -> "closing the identity provider's key source: " + e);
            }
        }
    }
}

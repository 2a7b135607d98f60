package org.webims.gateway.ejb.waf;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.webims.gateway.ejb.policy.GuestPool;
import org.webims.gateway.ejb.policy.PolicyCatalogue;
import org.webims.gateway.ejb.policy.PolicyEntry;
import org.webims.gateway.ejb.policy.PolicyKey;
import org.webims.gateway.ejb.policy.PolicyStore;
import org.webims.gateway.ports.identity.AccessTokens;
import org.webims.gateway.ports.identity.TokenCheck;
import org.webims.gateway.ports.policy.Layer;

/**
 * The WAF's token service (TS 24.371 §6.1): a provider's backend, with its client id and secret, gets a short-lived
 * JWT (RFC 9068) for an anonymous identity leased from its guest pool (scenario 3, RFC 6749 client credentials), or
 * for a subscriber who signed in at the operator's identity provider (scenario 2, RFC 8693 token exchange, also for
 * the operator's own softphone as a public client); tokens are signed ES256 with the newest WAF key, the keys
 * published as a JWK set. Secrets are stored hashed only; no
 * secret or token is ever logged. Bean-managed concurrency: signing and leasing are thread-safe.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class WafService {
    private static final Logger LOG = Logger.getLogger(WafService.class.getName());
    /** RFC 9068 §2.1: the media type of a JWT access token. */
    static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final String GUEST_SCOPE = "guest";
    /** RFC 8693 §2.1 and §3. */
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    /** Issue 11: a token lives at most five minutes. */
    static final Duration MAX_LIFETIME = Duration.ofSeconds(300);
    /** Retry-After when every identity of a pool is held by a live connection. */
    static final int IN_USE_RETRY_SECONDS = 30;
    /** Keys kept published after a rotation (the newest signs). */
    static final int KEYS_KEPT = 2;

    @PersistenceContext(unitName = "gateway")
    private EntityManager em;

    @EJB
    private PolicyStore policies;

    private final Clock clock = Clock.systemUTC();
    private final GuestLeases leases = new GuestLeases();
    private volatile List<ECKey> keys = List.of();
    private volatile String issuer;
    private volatile String audience;
    private volatile Duration lifetime;
    private volatile TokenChecker checker;
    private volatile IdentityProviderSettings idpSettings;
    /** Discovered lazily: the identity provider may start after the gateway. */
    private volatile OperatorIdentityProvider operatorIdp;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    void start() {
        var config = ConfigProvider.getConfig();
        issuer = config.getOptionalValue("gateway.waf.issuer", String.class).orElse("webims-waf");
        audience = config.getOptionalValue("gateway.waf.audience", String.class).orElse("webims-ep-cscf");
        long seconds = config.getOptionalValue("gateway.waf.token-seconds", Long.class).orElse(300L);
        lifetime = Duration.ofSeconds(Math.max(1, Math.min(seconds, MAX_LIFETIME.toSeconds())));
        List<ECKey> stored = new ArrayList<>();
        for (WafKey key : em.createQuery("select k from WafKey k order by k.createdAt desc", WafKey.class)
                .setMaxResults(KEYS_KEPT).getResultList()) {
            stored.add(parse(key.jwk()));
        }
        keys = List.copyOf(stored);
        if (keys.isEmpty()) {
            rotate();
        }
        idpSettings = IdentityProviderSettings.from(config);
        operatorIdp = new OperatorIdentityProvider(idpSettings, clock);
        checker = new TokenChecker(() -> keys, issuer, audience, policies.catalogue()::isOriginOf, clock);
        LOG.info(() -> "WAF keys loaded: " + keys.stream().map(ECKey::getKeyID).toList() + ", issuer " + issuer);
    }

    /** A new signing key (ES256, P-256), the newest of the published ones from now on. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public synchronized String rotate() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyID(UUID.randomUUID().toString()).generate();
            em.persist(new WafKey(key.getKeyID(), key.toJSONString(), clock.instant()));
            List<ECKey> next = new ArrayList<>(List.of(key));
            next.addAll(keys);
            keys = List.copyOf(next.subList(0, Math.min(KEYS_KEPT, next.size())));
            for (ECKey retired : next.subList(keys.size(), next.size())) {
                WafKey stored = em.find(WafKey.class, retired.getKeyID());
                if (stored != null) {
                    em.remove(stored); // no private key is kept longer than it can have signed a live token
                }
            }
            LOG.info(() -> "WAF signing key " + key.getKeyID() + " created");
            return key.getKeyID();
        } catch (JOSEException e) {
            throw new IllegalStateException("no EC key generator", e);
        }
    }

    /**
     * What the eP-CSCF asks about a client's token, and tells of a guest's connection: plain Java over the keys and
     * leases in memory, never this bean (no SIP thread goes through an EJB proxy).
     */
    public AccessTokens accessTokens() {
        TokenChecker tokens = checker;
        PolicyCatalogue catalogue = policies.catalogue();
        return new AccessTokens() {
            @Override
            public TokenCheck check(String token, String origin) {
                return tokens.check(token, origin);
            }

            @Override
            public void inUse(String provider, String impu) {
                leases.hold(provider, impu);
            }

            @Override
            public void released(String provider, String impu) {
                int quarantine = catalogue.snapshot().get(new PolicyKey(Layer.PROVIDER, provider))
                        .map(PolicyEntry::guestPool).map(GuestPool::quarantineSeconds).orElse(60);
                leases.release(provider, impu, clock.instant(), Duration.ofSeconds(quarantine));
            }
        };
    }

    /** The ids of the published keys, newest (the signing one) first. */
    public List<String> keyIds() {
        return keys.stream().map(ECKey::getKeyID).toList();
    }

    /** The public keys (RFC 7517 JWK set), for {@code GET /waf/jwks} and the eP-CSCF. */
    public String jwks() {
        return new JWKSet(new ArrayList<>(keys.stream().map(ECKey::toPublicJWK).toList())).toString(true);
    }

    /** A new client secret for a provider, replacing any earlier one; empty when there is no such provider. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public Optional<String> newSecret(String providerId, String who) {
        if (policies.entry(new PolicyKey(Layer.PROVIDER, providerId)).isEmpty()) {
            return Optional.empty();
        }
        String secret = ClientSecrets.newSecret();
        String salt = ClientSecrets.newSalt();
        ProviderSecret stored = em.find(ProviderSecret.class, providerId);
        if (stored == null) {
            em.persist(new ProviderSecret(providerId, salt, ClientSecrets.hash(secret, salt), clock.instant()));
        } else {
            stored.replace(salt, ClientSecrets.hash(secret, salt), clock.instant());
        }
        // in the policy audit trail too, as action SECRET (never the secret or its hash)
        em.persist(new org.webims.gateway.ejb.policy.PolicyChange(clock.instant(), who,
                new PolicyKey(Layer.PROVIDER, providerId), "SECRET", null, null));
        LOG.info(() -> "New client secret for provider " + providerId + " by " + who); // never the secret
        return Optional.of(secret);
    }

    /**
     * The token endpoint's work: RFC 8693 token exchange of a subscriber's identity-provider token (scenario 2; the
     * client authenticated, or the operator's own softphone without credentials), or RFC 6749 §4.4 client
     * credentials for a guest of the authenticated provider (scenario 3).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public TokenGrant token(TokenRequest request) {
        if (TOKEN_EXCHANGE.equals(request.grantType())) {
            return exchange(request);
        }
        if (!authenticated(request)) {
            return TokenGrant.Refused.of(401, "invalid_client", "unknown client or wrong secret");
        }
        if (!CLIENT_CREDENTIALS.equals(request.grantType())) {
            return TokenGrant.Refused.of(400, "unsupported_grant_type", request.grantType() == null
                    ? "grant_type is missing" : "this grant_type is not supported here (client_credentials with scope"
                    + " guest, or " + TOKEN_EXCHANGE + ")");
        }
        return guestToken(request.clientId(), request.scope());
    }

    private boolean authenticated(TokenRequest request) {
        ProviderSecret stored = request.clientId() == null ? null
                : em.find(ProviderSecret.class, request.clientId());
        return stored != null && stored.matches(request.clientSecret())
                && policies.entry(new PolicyKey(Layer.PROVIDER, request.clientId())).isPresent();
    }

    /**
     * RFC 8693: a subscriber signed in at the operator's identity provider; its access token (for the WAF's audience,
     * issued to the asking client) becomes a WAF token for the subscriber's IMPU. A third party authenticates as its
     * provider and must be the token's authorised party under the same id; the operator's own softphone is a public
     * client (RFC 6749 §2.1) known to the identity provider by {@code gateway.waf.idp.client-id}.
     */
    private TokenGrant exchange(TokenRequest request) {
        boolean thirdParty = request.clientId() != null;
        if (thirdParty && !authenticated(request)) {
            return TokenGrant.Refused.of(401, "invalid_client", "unknown client or wrong secret");
        }
        if (!idpSettings.enabled()) {
            return TokenGrant.Refused.of(400, "unsupported_grant_type",
                    "no identity provider is configured (gateway.waf.idp.issuer)");
        }
        if (request.subjectToken() == null || request.subjectToken().isBlank()) {
            return TokenGrant.Refused.of(400, "invalid_request", "subject_token is missing");
        }
        if (!ACCESS_TOKEN_TYPE.equals(request.subjectTokenType())) {
            return TokenGrant.Refused.of(400, "invalid_request", "subject_token_type must be " + ACCESS_TOKEN_TYPE);
        }
        if (request.requestedTokenType() != null && !ACCESS_TOKEN_TYPE.equals(request.requestedTokenType())) {
            return TokenGrant.Refused.of(400, "invalid_request", "only an access token can be issued here");
        }
        Optional<SubscriberTokens> verifier = operatorIdp.discover().map(OperatorIdentityProvider.Discovered::tokens);
        if (verifier.isEmpty()) {
            return new TokenGrant.Refused(503, "temporarily_unavailable",
                    "the identity provider cannot be reached", OperatorIdentityProvider.BACKOFF.toSeconds());
        }
        SubscriberTokens.Subscriber subscriber;
        try {
            subscriber = verifier.get().check(request.subjectToken());
        } catch (SubscriberTokens.Unavailable unavailable) {
            return new TokenGrant.Refused(503, "temporarily_unavailable", unavailable.getMessage(),
                    OperatorIdentityProvider.BACKOFF.toSeconds());
        } catch (SubscriberTokens.Refused refused) {
            return TokenGrant.Refused.of(400, "invalid_request", refused.getMessage()); // RFC 8693 §2.2.2
        }
        String client = thirdParty ? request.clientId() : idpSettings.clientId();
        if (!client.equals(subscriber.authorisedParty())) {
            return TokenGrant.Refused.of(400, "invalid_request", "the subject_token was issued to another client");
        }
        String provider = thirdParty ? request.clientId() : AccessTokens.OPERATOR;
        Instant now = clock.instant();
        // never longer than the sign-in it comes from
        Instant expires = now.plus(lifetime).isAfter(subscriber.expires()) ? subscriber.expires() : now.plus(lifetime);
        if (!expires.isAfter(now)) {
            return TokenGrant.Refused.of(400, "invalid_request", "the subject_token has expired");
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience)
                .subject(subscriber.impu()).claim("impi", subscriber.impi()).claim("provider", provider)
                .claim("client_id", client).claim("scope", "ims").claim("guest", false)
                .issueTime(Date.from(now)).expirationTime(Date.from(expires)).jwtID(UUID.randomUUID().toString())
                .build();
        LOG.fine(() -> "WAF token for subscriber " + subscriber.impu() + " by " + client); // never the tokens
        return new TokenGrant.Issued(sign(claims), Duration.between(now, expires).toSeconds(), subscriber.impu(),
                ACCESS_TOKEN_TYPE);
    }

    /** The identity provider, discovered on first need (blocks up to a few seconds then); empty while unreachable. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Optional<IdentityProvider> identityProvider() {
        return operatorIdp.discover().map(OperatorIdentityProvider.Discovered::provider);
    }

    /** The identity provider if it was discovered already: never blocks (for every page load). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Optional<IdentityProvider> knownIdentityProvider() {
        return operatorIdp.known().map(OperatorIdentityProvider.Discovered::provider);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        operatorIdp.close();
    }

    /** Whether the operator's identity provider is configured (scenario 2 is offered). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public boolean signInOffered() {
        return idpSettings.enabled();
    }

    /** The client id of the operator's softphone at the identity provider. */
    public String softphoneClientId() {
        return idpSettings.clientId();
    }

    private TokenGrant guestToken(String clientId, String scope) {
        if (!GUEST_SCOPE.equals(scope)) {
            return TokenGrant.Refused.of(400, "invalid_scope", "the scope must be guest");
        }
        Optional<PolicyEntry> provider = policies.entry(new PolicyKey(Layer.PROVIDER, clientId));
        GuestPool pool = provider.map(PolicyEntry::guestPool).orElse(null);
        if (pool == null) {
            return TokenGrant.Refused.of(400, "invalid_scope", "provider " + clientId + " has no guest pool");
        }
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        Optional<GuestLeases.Lease> lease = leases.lease(clientId, pool, now, expires);
        if (lease.isEmpty()) {
            // every identity held by a live connection: no end is known, ask again after a while
            long wait = leases.nextFree(clientId).map(free -> Math.max(1, Duration.between(now, free).toSeconds()))
                    .orElse((long) Math.max(IN_USE_RETRY_SECONDS, pool.quarantineSeconds()));
            return new TokenGrant.Refused(503, "temporarily_unavailable", "the guest pool of " + clientId
                    + " is exhausted", wait);
        }
        String impu = lease.get().impu();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(impu)
                .claim("impi", impi(impu)).claim("provider", clientId).claim("client_id", clientId)
                .claim("scope", GUEST_SCOPE).claim("guest", true)
                .claim("destinations", provider.get().guestDestinations() == null ? List.of()
                        : provider.get().guestDestinations())
                .issueTime(Date.from(now)).expirationTime(Date.from(expires)).jwtID(UUID.randomUUID().toString())
                .build();
        return new TokenGrant.Issued(sign(claims), lifetime.toSeconds(), impu, null);
    }

    private String sign(JWTClaimsSet claims) {
        ECKey key = keys.get(0);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(ACCESS_TOKEN).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    /** TS 23.003 §13.3: a guest's private identity, its public one without the scheme. */
    static String impi(String impu) {
        int colon = impu.indexOf(':');
        return colon < 0 ? impu : impu.substring(colon + 1);
    }

    private static ECKey parse(String jwk) {
        try {
            return ECKey.parse(jwk);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored WAF key cannot be read", e);
        }
    }
}

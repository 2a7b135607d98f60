package org.webims.gateway.sip.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One RFC 5626 flow: a live WebSocket connection from a WebRTC IMS client, and when it was last heard from. */
public final class Flow {
    private final FlowId id;
    private final WebSocketConnection connection;
    private final Instant openedAt;
    private volatile Instant lastHeard;
    private volatile boolean registered;
    /** RFC 3840 §9: whether the client's last REGISTER said it takes video. */
    private volatile boolean takesVideo;
    /** The provider the policy named for this client at its REGISTER, or null. */
    private volatile String provider;
    /** REGISTERs of this flow forwarded to the core and not yet answered: each holds its provider's place. */
    private final java.util.concurrent.atomic.AtomicInteger pendingRegisters = new java.util.concurrent.atomic.AtomicInteger();
    /** The identity a WAF token authorised on this flow (TS 33.203 Annex X.3 step 7), or null. */
    private final java.util.concurrent.atomic.AtomicReference<TokenIdentity> authorised =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** SHA-256 of the token that authorised the flow (the token itself is never kept). */
    private volatile byte[] authorisingToken;
    /** {@link #describe()}, made once: it names only what a connection keeps for its life. */
    private volatile String description;

    /**
     * An identity authorised by a WAF token: public and private identity, the token's provider, and for a guest
     * (TS 24.371 scenario 3) the only destinations it may call.
     */
    public record TokenIdentity(String impu, String impi, String provider, boolean guest, List<String> destinations) {
        public TokenIdentity {
            destinations = List.copyOf(destinations);
        }
    }

    /** Whether the client on this flow is an anonymous guest of a provider (TS 24.371 scenario 3). */
    public boolean isGuest() {
        TokenIdentity identity = authorised.get();
        return identity != null && identity.guest();
    }

    public Flow(FlowId id, WebSocketConnection connection, Instant openedAt) {
        this.id = id;
        this.connection = connection;
        this.openedAt = openedAt;
        this.lastHeard = openedAt;
    }

    public FlowId id() {
        return id;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public Instant openedAt() {
        return openedAt;
    }

    /** Records that a frame or pong arrived (RFC 5626 §4.4 keepalive). */
    public void heard(Instant now) {
        lastHeard = now;
    }

    public Duration age(Instant now) {
        return Duration.between(openedAt, now);
    }

    /** Whether a registration was seen on this flow (it is then exempt from the registration deadline). */
    public boolean hasRegistered() {
        return registered;
    }

    public void markRegistered() {
        registered = true;
    }

    /** The media feature tags of the client's REGISTER (RFC 3840 §9). */
    public void mediaFeatures(boolean video) {
        takesVideo = video;
    }

    public boolean takesVideo() {
        return takesVideo;
    }

    /**
     * Binds the flow to a token's identity, once: false when it is bound to another identity already (a flow never
     * changes identity, TS 33.203 Annex X.3 step 7).
     */
    public boolean authorise(TokenIdentity identity, String token) {
        if (authorised.compareAndSet(null, identity)) {
            authorisingToken = digest(token);
            return true;
        }
        return Objects.equals(authorised.get().impu(), identity.impu());
    }

    /**
     * Whether this token is the one that authorised the flow: a client that sends it again on a refresh (JsSIP keeps
     * the header) is refreshing, not replaying it; the token may have expired since, the binding has not.
     */
    public boolean authorisedBy(String token) {
        byte[] first = authorisingToken;
        return first != null && java.security.MessageDigest.isEqual(first, digest(token));
    }

    private static byte[] digest(String token) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The identity a token authorised on this flow: its refreshes need no new token, and no other identity may use it. */
    public java.util.Optional<TokenIdentity> authorised() {
        return java.util.Optional.ofNullable(authorised.get());
    }

    /** A REGISTER of this flow goes to the core. */
    public void registerSent() {
        pendingRegisters.incrementAndGet();
    }

    /** That REGISTER got its final answer, timed out or was answered by the gateway itself. */
    public void registerDone() {
        pendingRegisters.updateAndGet(n -> Math.max(0, n - 1));
    }

    public boolean registerPending() {
        return pendingRegisters.get() > 0;
    }

    public void provider(String id) {
        provider = id;
    }

    public String provider() {
        return provider;
    }

    public Duration silentFor(Instant now) {
        return Duration.between(lastHeard, now);
    }

    /** "flow-7 (ws 127.0.0.1:50312, session abc)" for log lines. */
    public String describe() {
        String made = description;
        if (made == null) { // a race makes the same string twice, nothing worse
            made = id + " (" + (connection.secure() ? "wss " : "ws ") + connection.remoteAddress() + ", session "
                    + connection.id() + ")";
            description = made;
        }
        return made;
    }

    @Override
    public String toString() {
        return describe();
    }
}

package org.webims.gateway.web.config;

import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.webims.gateway.ports.policy.DialPlan;
import org.webims.gateway.sip.announce.Announcements;
import org.webims.gateway.sip.announce.TonePlan;
import org.webims.gateway.sip.call.SdpLimits;
import org.webims.gateway.sip.liveness.CoreKeepalive;
import org.webims.gateway.sip.runtime.SipSettings;
import org.webims.gateway.sip.runtime.WebSocketLimits;
import org.webims.gateway.sip.signalling.UdpSizeLimit;
import org.webims.gateway.sip.throttle.AuthThrottleSettings;
import org.webims.gateway.web.admin.AdminAccessSettings;

/**
 * Reads the {@code gateway.*} keys (defaults in META-INF/microprofile-config.properties, documented in the README).
 */
public final class GatewayConfiguration {
    private final Config config;

    public GatewayConfiguration(Config config) {
        this.config = config;
    }

    public static GatewayConfiguration current() {
        return new GatewayConfiguration(ConfigProvider.getConfig(GatewayConfiguration.class.getClassLoader()));
    }

    public SipSettings sipSettings() {
        return new SipSettings(
                string("gateway.ims.domain"),
                string("gateway.ims.proxy"),
                string("gateway.sip.host"),
                integer("gateway.sip.port"),
                integer("gateway.ws.port"),
                integer("gateway.wss.port"),
                integer("gateway.ws.max-message-bytes"),
                Duration.ofSeconds(integer("gateway.ws.ping-interval-seconds")),
                Duration.ofSeconds(integer("gateway.registration.sweep-seconds")),
                string("gateway.media.ng"),
                Duration.ofMillis(integer("gateway.media.timeout-ms")),
                integer("gateway.media.attempts"),
                integer("gateway.media.max-in-flight"),
                integer("gateway.media.max-waiting-offers"),
                Duration.ofMillis(integer("gateway.media.max-queue-delay-ms")),
                string("gateway.emergency.numbers"),
                Duration.ofMillis(integer("gateway.sip.t1-ms")),
                java.util.Arrays.stream(string("gateway.media.ims-codecs").split(",")).map(String::trim)
                        .filter(c -> !c.isEmpty()).toList(),
                config.getValue("gateway.media.anchoring", Boolean.class),
                config.getOptionalValue("gateway.ims.trusted-peers", String.class).orElse(""),
                integer("gateway.calls.max-per-connection"),
                new SdpLimits(integer("gateway.media.max-streams"), integer("gateway.media.max-formats"),
                        integer("gateway.media.max-sdp-bytes"), integer("gateway.media.max-sdp-line-bytes")),
                config.getOptionalValue("gateway.originating.literal-targets", String.class).orElse(""),
                webSocketLimits(),
                new CoreKeepalive(Duration.ofSeconds(integer("gateway.ims.keepalive-seconds")),
                        integer("gateway.ims.keepalive-failures")),
                integer("gateway.registration.max-per-aor"),
                authThrottle(),
                optional("gateway.waf.tna-flag").isEmpty() ? "auth-done" : optional("gateway.waf.tna-flag"),
                integer("gateway.ims.max-pending"),
                Duration.ofMillis(integer("gateway.sip.max-queue-delay-ms")),
                Duration.ofMillis(integer("gateway.sip.t4-ms")),
                coreUdpLimit());
    }

    /** The hard cap on one message is never below the SIP size limit, so a message a little over it gets 513. */
    public WebSocketLimits webSocketLimits() {
        return new WebSocketLimits(
                Math.max(integer("gateway.ws.max-buffered-message-bytes"), maxMessageBytes()),
                integer("gateway.ws.max-connections-per-address"),
                Duration.ofSeconds(integer("gateway.ws.register-timeout-seconds")));
    }

    private AuthThrottleSettings authThrottle() {
        return new AuthThrottleSettings(
                integer("gateway.auth.max-failures"),
                integer("gateway.auth.max-failures-per-address"),
                Duration.ofSeconds(integer("gateway.auth.failure-window-seconds")),
                Duration.ofSeconds(integer("gateway.auth.penalty-seconds")),
                integer("gateway.auth.tracked-keys"));
    }

    public OriginPolicy originPolicy() {
        return OriginPolicy.parse(config.getOptionalValue("gateway.ws.allowed-origins", String.class).orElse(""));
    }

    /** The admin API's throttle of failed authentications (gateway.admin.*, issue 9 finding 3). */
    public AdminAccessSettings adminAccess() {
        return new AdminAccessSettings(
                integer("gateway.admin.max-failures"),
                Duration.ofSeconds(integer("gateway.admin.failure-window-seconds")),
                Duration.ofSeconds(integer("gateway.admin.penalty-seconds")),
                integer("gateway.admin.max-tracked-sources"),
                integer("gateway.wss.port"));
    }

    /**
     * The operator's dial plan for matching destinations against barred prefixes (gateway.policy.country-code,
     * -international-prefix, -national-prefix; TS 22.228 §11.2).
     */
    public DialPlan dialPlan() {
        return new DialPlan(optional("gateway.policy.country-code"), optional("gateway.policy.international-prefix"),
                optional("gateway.policy.national-prefix"));
    }

    /**
     * The gateway's tones and announcements (TS 22.228 §11.2): gateway.announcements.enabled, .on-failure, .dir,
     * .settle-ms, .music-on-hold and gateway.tones.plan. The files are written under the server's data directory.
     */
    public Announcements.Settings announcements() {
        String dir = optional("gateway.announcements.dir");
        String music = optional("gateway.announcements.music-on-hold");
        String data = System.getProperty("jboss.server.data.dir", System.getProperty("java.io.tmpdir"));
        return new Announcements.Settings(TonePlan.named(string("gateway.tones.plan")),
                Announcements.parseOnFailure(optional("gateway.announcements.on-failure")),
                dir.isEmpty() ? null : Path.of(dir), Path.of(data, "webims-announcements"),
                Duration.ofMillis(integer("gateway.announcements.settle-ms")), music.isEmpty() ? null : Path.of(music));
    }

    /** Whether failures are announced at all (gateway.announcements.enabled). */
    public boolean announcementsEnabled() {
        return config.getValue("gateway.announcements.enabled", Boolean.class);
    }

    /** Reverse proxies whose X-Forwarded-For names the client's address (gateway.policy.trusted-proxies). */
    public String trustedProxies() {
        return optional("gateway.policy.trusted-proxies");
    }

    /** UDP's size limit toward the core (gateway.ims.path-mtu); a value no MTU could be is refused naming the key. */
    private UdpSizeLimit coreUdpLimit() {
        try {
            return new UdpSizeLimit(integer("gateway.ims.path-mtu"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.ims.path-mtu: " + e.getMessage(), e);
        }
    }

    /**
     * The SIP worker threads (gateway.sip.worker-threads): the configured number, or with 0 two per core and at least
     * four. SIP work never blocks, so more would only contend, but a thread a GC pause or a page fault holds should not
     * leave a core idle.
     */
    public int sipWorkerThreads() {
        int configured = integer("gateway.sip.worker-threads");
        if (configured < 0) {
            throw new IllegalArgumentException("gateway.sip.worker-threads must be 0 (two per core) or more: "
                    + configured);
        }
        return configured > 0 ? configured : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    public int maxMessageBytes() {
        return integer("gateway.ws.max-message-bytes");
    }

    private String string(String key) {
        return config.getValue(key, String.class).trim();
    }

    private String optional(String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).orElse("");
    }

    private int integer(String key) {
        return config.getValue(key, Integer.class);
    }
}

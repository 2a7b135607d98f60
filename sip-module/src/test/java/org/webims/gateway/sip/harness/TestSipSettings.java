package org.webims.gateway.sip.harness;

import java.time.Duration;
import java.util.List;
import org.webims.gateway.sip.call.SdpLimits;
import org.webims.gateway.sip.liveness.CoreKeepalive;
import org.webims.gateway.sip.runtime.SipSettings;
import org.webims.gateway.sip.runtime.WebSocketLimits;
import org.webims.gateway.sip.throttle.AuthThrottleSettings;

/** The SIP settings of the tests without a server: short timers, SDP passed through, 127.0.0.1. */
public final class TestSipSettings {
    private TestSipSettings() {}

    public static SipSettings of(String domain, String core, int port) {
        return of(domain, core, port, 0);
    }

    /** As {@link #of(String, String, int)}, with the path MTU toward the core known ({@code gateway.ims.path-mtu}). */
    public static SipSettings of(String domain, String core, int port, int pathMtu) {
        return new SipSettings(domain, core, "127.0.0.1", port, 18080, 18443, 65_535, Duration.ofMinutes(5),
                Duration.ofSeconds(1), "127.0.0.1:1", Duration.ofMillis(500), 1, 64, 64, Duration.ofMillis(500),
                "112,911", Duration.ofMillis(50), List.of("PCMU"), false, "127.0.0.1", 2, SdpLimits.DEFAULTS, "",
                new WebSocketLimits(65_535, 50, Duration.ZERO), CoreKeepalive.off(), 10,
                new AuthThrottleSettings(0, 0, Duration.ofMinutes(1), Duration.ofMinutes(1), 100), "auth-done", 2000,
                Duration.ofMillis(100), Duration.ofMillis(500),
                new org.webims.gateway.sip.signalling.UdpSizeLimit(pathMtu));
    }
}

package org.webims.gateway.web.admin;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.webims.gateway.sip.throttle.FailureThrottle;

/**
 * Failed authentications counted per source address (an IPv6 source by its /64, what one host usually holds):
 * past the limit within the window, the source waits out a penalty, whatever credentials it sends. The account
 * itself is never locked, so a stranger cannot lock the operator out. At most {@code maxTrackedSources} sources
 * are remembered, the least recently seen forgotten first: memory stays bounded whatever the number of sources.
 */
public final class FailedLoginThrottle {
    private final FailureThrottle<String> failures;

    public FailedLoginThrottle(AdminAccessSettings settings, Clock clock) {
        this.failures = new FailureThrottle<>(settings.maxFailures(), settings.failureWindow(), settings.penalty(),
                settings.maxTrackedSources(), clock);
    }

    /** The key a source is counted under. */
    public static String sourceKey(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] bytes = v6.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return address.getHostAddress();
    }

    /** The wait left when this source is serving a penalty. */
    public Optional<Duration> penaltyLeft(String source) {
        return failures.refusal(source);
    }

    /** Counts a failed authentication; true when it starts this source's penalty. */
    public boolean failed(String source) {
        return failures.failed(source);
    }

    /** A successful authentication clears the source's count. */
    public void succeeded(String source) {
        failures.succeeded(source);
    }

    int trackedSources() {
        return failures.size();
    }
}

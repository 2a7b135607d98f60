package org.webims.gateway.web.admin;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed authentications counted per source address (an IPv6 source by its /64, what one host usually holds):
 * past the limit within the window, the source waits out a penalty, whatever credentials it sends. The account
 * itself is never locked, so a stranger cannot lock the operator out. At most {@code maxTrackedSources} sources
 * are remembered, the least recently seen forgotten first: memory stays bounded whatever the number of sources.
 */
final class FailedLoginThrottle {
    private final AdminAccessSettings settings;
    private final Clock clock;
    private final Map<String, Source> sources;

    FailedLoginThrottle(AdminAccessSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.sources = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Source> eldest) {
                return size() > settings.maxTrackedSources();
            }
        };
    }

    /** The key a source is counted under. */
    static String sourceKey(InetAddress address) {
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
    synchronized Optional<Duration> penaltyLeft(String source) {
        Source s = sources.get(source);
        Instant now = clock.instant();
        if (s == null || s.penaltyUntil == null || !now.isBefore(s.penaltyUntil)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, s.penaltyUntil));
    }

    /** Counts a failed authentication; true when it starts this source's penalty. */
    synchronized boolean failed(String source) {
        Instant now = clock.instant();
        Source s = sources.computeIfAbsent(source, k -> new Source(now));
        if (!now.isBefore(s.windowStart.plus(settings.failureWindow()))) {
            s.windowStart = now;
            s.failures = 0;
        }
        s.failures++;
        if (s.failures < settings.maxFailures()) {
            return false;
        }
        s.penaltyUntil = now.plus(settings.penalty());
        s.windowStart = s.penaltyUntil;
        s.failures = 0;
        return true;
    }

    /** A successful authentication clears the source's count. */
    synchronized void succeeded(String source) {
        sources.remove(source);
    }

    synchronized int trackedSources() {
        return sources.size();
    }

    private static final class Source {
        Instant windowStart;
        int failures;
        Instant penaltyUntil;

        Source(Instant windowStart) {
            this.windowStart = windowStart;
        }
    }
}

package org.webims.gateway.ejb.charging;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Diameter Session-Ids (RFC 6733 §8.8): {@code <origin-host>;<high 32 bits>;<low 32 bits>}, the high part the time
 * this gateway started (unique across restarts), the low part a counter.
 */
public final class SessionIds {
    private final String originHost;
    private final long high;
    private final AtomicLong low = new AtomicLong();

    public SessionIds(String originHost, long startSeconds) {
        this.originHost = originHost;
        this.high = startSeconds & 0xFFFF_FFFFL;
    }

    public String next(String label) {
        return originHost + ";" + high + ";" + (low.incrementAndGet() & 0xFFFF_FFFFL) + ";" + label;
    }
}

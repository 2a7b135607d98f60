package org.webims.gateway.sip.liveness;

import java.time.Duration;

/**
 * How the IMS core's liveness is watched.
 *
 * @param interval period of the OPTIONS probe toward {@code gateway.ims.proxy}; zero turns the watch off
 *     ({@code gateway.ims.keepalive-seconds})
 * @param failuresBeforeDown consecutive unanswered probes or requests, at least one of them a probe, after which
 *     the core is taken as down ({@code gateway.ims.keepalive-failures})
 */
public record CoreKeepalive(Duration interval, int failuresBeforeDown) {
    /** The shortest retransmission base a probe gets, whatever the interval (JAIN-SIP ticks at T1). */
    static final Duration MIN_PROBE_T1 = Duration.ofMillis(10);

    public CoreKeepalive {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("keepalive interval must not be negative: " + interval);
        }
        if (failuresBeforeDown < 1) {
            throw new IllegalArgumentException("keepalive failures must be at least 1: " + failuresBeforeDown);
        }
    }

    public static CoreKeepalive off() {
        return new CoreKeepalive(Duration.ZERO, 1);
    }

    public boolean enabled() {
        return !interval.isZero();
    }

    /**
     * The T1 of a probe's transaction: a non-INVITE client transaction gives up after 64*T1 (RFC 3261 §17.1.2.2
     * Timer F), so a probe is answered or failed within one interval, before the next one leaves. Whole ms.
     */
    public Duration probeT1(Duration t1) {
        Duration withinInterval = Duration.ofMillis(interval.toMillis() / 64);
        Duration chosen = withinInterval.compareTo(t1) < 0 ? withinInterval : t1;
        return chosen.compareTo(MIN_PROBE_T1) < 0 ? MIN_PROBE_T1 : chosen;
    }

    /** RFC 3261 §21.5.4: when a client refused with 503 may try again: the next probe, at least a second away. */
    public int retryAfterSeconds() {
        return (int) Math.max(1, (interval.toMillis() + 999) / 1000);
    }
}

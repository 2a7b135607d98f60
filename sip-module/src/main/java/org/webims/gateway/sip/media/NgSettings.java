package org.webims.gateway.sip.media;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where rtpengine listens for ng commands ({@code --listen-ng}) and how long to wait for it.
 *
 * @param rtpengine      the ng control address; no default, typically {@code 127.0.0.1:2223}
 * @param attempts       transmissions of one command before giving up; default {@value #DEFAULT_ATTEMPTS}
 * @param attemptTimeout wait for a reply after each transmission; default 1 s, so a command fails after 3 s
 * @param maxInFlight    commands sent and not yet answered, at most; the others wait their turn (what calls in
 *                       progress need first); default {@value #DEFAULT_MAX_IN_FLIGHT}
 * @param maxWaitingNew  offers of new sessions waiting for a turn, at most; beyond, a new one fails at once as
 *                       {@link MediaGatewayException.Failure#OVERLOADED}; default {@value #DEFAULT_MAX_WAITING_NEW}
 */
public record NgSettings(InetSocketAddress rtpengine, int attempts, Duration attemptTimeout, int maxInFlight,
        int maxWaitingNew) {
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    public static final int DEFAULT_MAX_WAITING_NEW = 64;
    /** Commands of sessions in progress (answers, deletes, re-offers) waiting for a turn, per command in flight. */
    static final int WAITING_ONGOING_PER_SLOT = 64;

    public NgSettings(InetSocketAddress rtpengine, int attempts, Duration attemptTimeout) {
        this(rtpengine, attempts, attemptTimeout, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_WAITING_NEW);
    }

    public NgSettings {
        Objects.requireNonNull(rtpengine, "rtpengine");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        if (rtpengine.isUnresolved()) {
            throw new IllegalArgumentException("rtpengine address not resolved: " + rtpengine);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attemptTimeout must be positive: " + attemptTimeout);
        }
        if (maxInFlight < 1 || maxWaitingNew < 0) {
            throw new IllegalArgumentException("maxInFlight must be positive and maxWaitingNew not negative: "
                    + maxInFlight + ", " + maxWaitingNew);
        }
    }

    /** The defaults: 3 attempts of 1 s. */
    public static NgSettings of(String host, int port) {
        return new NgSettings(new InetSocketAddress(host, port), DEFAULT_ATTEMPTS, DEFAULT_ATTEMPT_TIMEOUT);
    }

    public NgSettings withRetries(int attempts, Duration attemptTimeout) {
        return new NgSettings(rtpengine, attempts, attemptTimeout, maxInFlight, maxWaitingNew);
    }

    public NgSettings withFlowControl(int maxInFlight, int maxWaitingNew) {
        return new NgSettings(rtpengine, attempts, attemptTimeout, maxInFlight, maxWaitingNew);
    }

    /** "127.0.0.1:2223", for messages. */
    String describe() {
        return rtpengine.getAddress().getHostAddress() + ":" + rtpengine.getPort();
    }
}

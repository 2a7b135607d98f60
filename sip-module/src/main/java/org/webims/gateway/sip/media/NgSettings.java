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
 * @param maxWaitingNew  offers of new sessions waiting for a turn, at most (a bound on memory); beyond, a new one
 *                       fails at once as {@link MediaGatewayException.Failure#OVERLOADED}; default
 *                       {@value #DEFAULT_MAX_WAITING_NEW}
 * @param maxQueueDelay  how long the oldest waiting command may have waited before new sessions are refused: the
 *                       queue's delay, not its length, says whether rtpengine keeps up (a burst that drains in time
 *                       is absorbed; a queue that keeps growing is refused early); default 500 ms
 */
public record NgSettings(InetSocketAddress rtpengine, int attempts, Duration attemptTimeout, int maxInFlight,
        int maxWaitingNew, Duration maxQueueDelay) {
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    public static final int DEFAULT_MAX_WAITING_NEW = 512;
    public static final Duration DEFAULT_MAX_QUEUE_DELAY = Duration.ofMillis(500);
    /** Commands of sessions in progress (answers, deletes, re-offers) waiting for a turn, per command in flight. */
    static final int WAITING_ONGOING_PER_SLOT = 64;

    public NgSettings(InetSocketAddress rtpengine, int attempts, Duration attemptTimeout) {
        this(rtpengine, attempts, attemptTimeout, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_WAITING_NEW,
                DEFAULT_MAX_QUEUE_DELAY);
    }

    public NgSettings {
        Objects.requireNonNull(rtpengine, "rtpengine");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(maxQueueDelay, "maxQueueDelay");
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
        if (maxQueueDelay.isNegative()) {
            throw new IllegalArgumentException("maxQueueDelay must not be negative: " + maxQueueDelay);
        }
    }

    /** The defaults: 3 attempts of 1 s. */
    public static NgSettings of(String host, int port) {
        return new NgSettings(new InetSocketAddress(host, port), DEFAULT_ATTEMPTS, DEFAULT_ATTEMPT_TIMEOUT);
    }

    public NgSettings withRetries(int attempts, Duration attemptTimeout) {
        return new NgSettings(rtpengine, attempts, attemptTimeout, maxInFlight, maxWaitingNew, maxQueueDelay);
    }

    public NgSettings withFlowControl(int maxInFlight, int maxWaitingNew) {
        return new NgSettings(rtpengine, attempts, attemptTimeout, maxInFlight, maxWaitingNew, maxQueueDelay);
    }

    public NgSettings withMaxQueueDelay(Duration maxQueueDelay) {
        return new NgSettings(rtpengine, attempts, attemptTimeout, maxInFlight, maxWaitingNew, maxQueueDelay);
    }

    /** "127.0.0.1:2223", for messages. */
    String describe() {
        return rtpengine.getAddress().getHostAddress() + ":" + rtpengine.getPort();
    }
}

package org.webims.gateway.sip.media;

/**
 * The media gateway could not do what was asked: it did not answer in time, answered with an error (rtpengine's
 * {@code error-reason}), answered something unreadable, or the client was closed. Futures returned by
 * {@link MediaGateway} and {@link NgClient} fail with this exception; its {@link #failure()} says whose fault it
 * was, which the B2BUA maps to 488 (the SDP) or 503 (the gateway).
 */
public class MediaGatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an operation failed, as far as the caller must tell its peer. */
    public enum Failure {
        /** No usable answer: timeout, closed client, malformed reply. */
        UNAVAILABLE,
        /** The gateway has no ports left for this session (rtpengine "Ran out of ports"): worth retrying later. */
        OUT_OF_PORTS,
        /** The gateway refused the SDP it was given (cannot parse it, incomplete): the offer's fault. */
        BAD_SDP,
        /** Too many commands wait for the gateway already: a new session is refused at once, worth retrying later. */
        OVERLOADED,
        /** Any other refusal. */
        REFUSED
    }

    private final Failure failure;

    public MediaGatewayException(String message) {
        this(message, Failure.UNAVAILABLE);
    }

    public MediaGatewayException(String message, Failure failure) {
        super(message);
        this.failure = failure;
    }

    public MediaGatewayException(String message, Throwable cause) {
        super(message, cause);
        this.failure = Failure.UNAVAILABLE;
    }

    public Failure failure() {
        return failure;
    }
}

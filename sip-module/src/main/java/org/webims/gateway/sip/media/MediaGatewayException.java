package org.webims.gateway.sip.media;

/**
 * The media gateway could not do what was asked: it did not answer in time, answered with an error (rtpengine's
 * {@code error-reason}), answered something unreadable, or the client was closed. Futures returned by
 * {@link MediaGateway} and {@link NgClient} fail with this exception; the B2BUA answers the call with a 5xx.
 */
public class MediaGatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MediaGatewayException(String message) {
        super(message);
    }

    public MediaGatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}

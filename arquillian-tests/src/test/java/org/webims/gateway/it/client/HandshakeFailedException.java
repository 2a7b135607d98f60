package org.webims.gateway.it.client;

import java.util.List;
import java.util.Map;

/**
 * Thrown by {@link WsSipClient#connect} when the WebSocket connection cannot be opened: either the server
 * answered the opening handshake with something else than an acceptable 101 (then {@link #statusCode()} is
 * the HTTP status, e.g. 403 for a refused Origin), or no HTTP response was obtained at all (connection
 * refused, timeout; then {@link #statusCode()} is -1).
 */
public class HandshakeFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final transient Map<String, List<String>> responseHeaders;

    public HandshakeFailedException(String message, int statusCode, Map<String, List<String>> responseHeaders,
                                    Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.responseHeaders = responseHeaders == null ? Map.of() : Map.copyOf(responseHeaders);
    }

    /** The HTTP status of the handshake response, or -1 if there was none. */
    public int statusCode() {
        return statusCode;
    }

    /** True if the server sent an HTTP response to the handshake. */
    public boolean hasStatusCode() {
        return statusCode >= 0;
    }

    /** The headers of the handshake response (names as the JDK gives them, lower case), empty if none. */
    public Map<String, List<String>> responseHeaders() {
        return responseHeaders == null ? Map.of() : responseHeaders;
    }
}

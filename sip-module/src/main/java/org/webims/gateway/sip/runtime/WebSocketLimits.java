package org.webims.gateway.sip.runtime;

import java.time.Duration;

/**
 * What one client may hold of the gateway's WebSocket side (README "Behaviour on bad input").
 *
 * @param maxBufferedMessageBytes the most of one WebSocket message that is read at all: a message over
 *     {@code gateway.ws.max-message-bytes} but within this is answered 513, a larger one closes the connection with
 *     1009 without being buffered ({@code gateway.ws.max-buffered-message-bytes})
 * @param maxConnectionsPerAddress WebSocket connections one source address may hold; more handshakes are refused
 *     with 503 and Retry-After ({@code gateway.ws.max-connections-per-address})
 * @param registerTimeout how long a connection may stay without a registration before it is closed; zero for no
 *     limit ({@code gateway.ws.register-timeout-seconds})
 */
public record WebSocketLimits(int maxBufferedMessageBytes, int maxConnectionsPerAddress, Duration registerTimeout) {
    public WebSocketLimits {
        if (maxBufferedMessageBytes <= 0 || maxConnectionsPerAddress <= 0 || registerTimeout.isNegative()) {
            throw new IllegalArgumentException("WebSocket limits must be positive: " + maxBufferedMessageBytes
                    + " bytes, " + maxConnectionsPerAddress + " connections per address, " + registerTimeout);
        }
    }
}

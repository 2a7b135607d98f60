package org.webims.gateway.ports.call;

import java.time.Instant;

/**
 * What stays true of a call for its whole life, carried by each of its events.
 *
 * @param id         the gateway's id of the call (also in the REST view)
 * @param subscriber the public identity (IMPU) of the WebRTC user
 * @param remote     the other party: the target of an originating call, the caller of a terminating one
 * @param provider   the provider of the WebRTC client, or null
 */
public record CallFacts(String id, CallDirection direction, String subscriber, String remote, String provider,
        Instant startedAt) {
}

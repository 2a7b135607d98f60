package org.webims.gateway.ports.call;

import java.time.Instant;

/**
 * What stays true of a call for its whole life, carried by each of its events.
 *
 * @param id         the gateway's id of the call (also in the REST view)
 * @param subscriber the public identity (IMPU) of the WebRTC user
 * @param remote     the other party: the target of an originating call, the caller of a terminating one
 * @param provider   the provider of the WebRTC client, or null
 * @param icid       the IMS Charging Identifier of the session (RFC 7315 §5.6, the P-Charging-Vector's icid-value):
 *                   the IMS-Charging-Identifier of every charging message of the call (TS 32.299 §7.2)
 */
public record CallFacts(String id, CallDirection direction, String subscriber, String remote, String provider,
        Instant startedAt, String icid) {
}

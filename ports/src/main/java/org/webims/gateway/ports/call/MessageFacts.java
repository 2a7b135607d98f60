package org.webims.gateway.ports.call;

import java.time.Instant;

/**
 * A page-mode MESSAGE (RFC 3428) the gateway relayed, once its final response is known: what event charging needs
 * (TS 32.260 §5.2: an event-based record per MESSAGE).
 *
 * @param subscriber the WebRTC user's public identity: the sender of an originating MESSAGE, the recipient of a
 *                   terminating one
 * @param remote     the other party
 * @param provider   the provider of the WebRTC client, or null
 * @param icid       the IMS Charging Identifier of the transaction (RFC 7315 §5.6)
 * @param status     the final SIP status (2xx: delivered)
 */
public record MessageFacts(CallDirection direction, String subscriber, String remote, String provider, String icid,
        Instant sentAt, Instant answeredAt, int status) {
}

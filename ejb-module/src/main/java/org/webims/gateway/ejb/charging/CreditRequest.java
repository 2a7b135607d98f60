package org.webims.gateway.ejb.charging;

import java.time.Instant;
import org.webims.gateway.ports.call.CallDirection;

/**
 * One credit-control request (RFC 4006 §3.1 CCR, TS 32.299 §6.4.2) in the gateway's terms, before it is encoded.
 *
 * @param requestedSeconds Requested-Service-Unit CC-Time, 0 for none
 * @param usedSeconds      Used-Service-Unit CC-Time, -1 for none
 * @param directDebit      an event with Requested-Action DIRECT_DEBITING (RFC 4006 §8.41)
 * @param terminationCause why the session ends, in a TERMINATION (Termination-Cause, RFC 6733 §8.15); null otherwise
 */
public record CreditRequest(String sessionId, Type type, int number, Instant at, String method,
        CallDirection direction, String subscriber, String remote, String provider, String icid,
        long requestedSeconds, long usedSeconds, boolean directDebit, TerminationCause terminationCause) {

    /** RFC 4006 §8.3 CC-Request-Type. */
    public enum Type {
        INITIAL(1), UPDATE(2), TERMINATION(3), EVENT(4);

        public final int code;

        Type(int code) {
            this.code = code;
        }
    }
}

package org.webims.gateway.ejb.charging;

import org.webims.gateway.ports.call.EndCause;

/** RFC 6733 §8.15 Termination-Cause: why a credit-control session ends, told to the OCS in the CCR-TERMINATION. */
public enum TerminationCause {
    /** The user initiated a disconnect. */
    LOGOUT(1),
    /** The user disconnected before the authorization answer arrived. */
    SERVICE_NOT_PROVIDED(2),
    /** Disconnected for administrative reasons (a policy limit, the gateway itself, its shutdown). */
    ADMINISTRATIVE(4),
    /** The communication to the user was abruptly disconnected. */
    LINK_BROKEN(5),
    /** The authorized session time expired (the final units were used). */
    AUTH_EXPIRED(6),
    /** The session timed out. */
    SESSION_TIMEOUT(8);

    public final int code;

    TerminationCause(int code) {
        this.code = code;
    }

    /** How the end of a call reads to the OCS. */
    public static TerminationCause of(EndCause cause) {
        return switch (cause) {
            case BYE, CANCEL, REFUSED -> LOGOUT; // a party hung up, cancelled or declined
            case TIMEOUT, REFRESH_FAILED -> SESSION_TIMEOUT; // no answer, no ACK, no session refresh (RFC 4028 §10)
            case FLOW_CLOSED, BEARER_LOST -> LINK_BROKEN; // the WebSocket or the media bearer went
            case CREDIT_LIMIT -> AUTH_EXPIRED;
            case POLICY_LIMIT, MEDIA_FAILURE, GATEWAY_ERROR -> ADMINISTRATIVE;
        };
    }
}

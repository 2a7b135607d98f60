package org.webims.gateway.ports.call;

/** Why a call ended: one of these for every call, whatever path ended it. */
public enum EndCause {
    /** A BYE from either side (RFC 3261 §15). */
    BYE,
    /** The caller cancelled before the answer (RFC 3261 §9). */
    CANCEL,
    /** The called side, the core or the gateway's admission refused it with a final status. */
    REFUSED,
    /** No final answer in time (RFC 3261 §17.1.1.2, Timer B), or no ACK. */
    TIMEOUT,
    /** The media gateway failed or refused the session description. */
    MEDIA_FAILURE,
    /** The client's WebSocket closed (RFC 5626 §5.3). */
    FLOW_CLOSED,
    /** A session refresh failed (RFC 4028 §10). */
    REFRESH_FAILED,
    /** A policy limit: the longest call reached, the subscriber barred. */
    POLICY_LIMIT,
    /** Online charging ended it: the final units used, the credit refused, the charging system lost (RFC 4006). */
    CREDIT_LIMIT,
    /** The access network lost the media bearer, or the PCRF aborted the call's QoS session (TS 29.214 §4.4.4, §4.4.6). */
    BEARER_LOST,
    /** Something failed inside the gateway. */
    GATEWAY_ERROR
}

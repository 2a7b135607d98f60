package org.webims.gateway.diameter.peer;

/**
 * What a request is for, when a peer has many unanswered: a session already under way (its updates and its end:
 * CCR-UPDATE / -TERMINATION, an Rx update or STR, accounting) before a session not yet begun (CCR-INITIAL, a CCR
 * EVENT, the initial AAR). RFC 7339's principle, as for SIP: new work is refused first, the accepted goes on.
 */
public enum Urgency {
    /** A request of a session in progress: refused only at the peer's whole bound. */
    ONGOING,
    /** The first request of a new session: refused while the share kept for sessions in progress is all that is left. */
    NEW_SESSION
}

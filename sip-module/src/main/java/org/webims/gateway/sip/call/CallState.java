package org.webims.gateway.sip.call;

/** Where a call stands (RFC 3261 §13 and §15 from the B2BUA's view of both legs). */
public enum CallState {
    /** The initial INVITE was received on one leg and is being offered on the other. */
    CALLING,
    /** A provisional response (ringing or early media) came from the called side. */
    EARLY,
    /** Both legs answered; media flows. */
    CONFIRMED,
    ENDED;

    public boolean isLive() {
        return this != ENDED;
    }
}

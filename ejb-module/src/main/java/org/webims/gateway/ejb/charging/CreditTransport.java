package org.webims.gateway.ejb.charging;

import java.util.concurrent.CompletableFuture;

/** How online charging reaches the OCS (the Ro peers: {@code charging.ro.RoPeers}). */
public interface CreditTransport {
    /**
     * Sends the request; {@code failover}: on to the alternative OCS (with the T flag) when the first does not answer
     * within Tx. Completes exceptionally when no OCS answered, with {@link Saturated} when none could even take it.
     * A CCR-INITIAL or EVENT opens a session and finds less room than the requests of a session in progress.
     */
    CompletableFuture<CreditAnswer> send(CreditRequest request, boolean failover);

    /** Whether an OCS is reachable but none has room for a new session now: a new call would be refused at once. */
    default boolean saturated() {
        return false;
    }

    /** Every reachable OCS has as many requests unanswered as it may: the request never left. */
    final class Saturated extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Saturated(String why) {
            super(why, null, false, false);
        }
    }
}

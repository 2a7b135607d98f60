package org.webims.gateway.ejb.charging;

import java.util.concurrent.CompletableFuture;

/** How the outbox reaches the CDF (the Rf peers: {@code charging.rf.RfPeers}). */
public interface OutboxTransport {
    /** What became of one attempt. */
    record Delivery(Outcome outcome, String detail) {
        public static Delivery delivered() {
            return new Delivery(Outcome.DELIVERED, "2001");
        }
    }

    enum Outcome {
        /** Acknowledged: done. */
        DELIVERED,
        /** Not acknowledged, for now (no peer, no answer, a busy or unreachable CDF): sent again until it is. */
        RETRY,
        /** A CDF answered with a failure that may pass (a 4xxx, an unreadable answer): sent again a few times. */
        ANSWERED_FAILURE,
        /** Refused for good (RFC 6733 §7.1.5 permanent failure): kept and shown, never sent again. */
        REJECTED
    }

    /** Whether a peer takes requests now. */
    boolean available();

    /** Sends the encoded request ({@code retransmission}: with the T flag); never fails: the outcome says. */
    CompletableFuture<Delivery> deliver(byte[] message, boolean retransmission);
}

package org.webims.gateway.ejb.charging;

import java.util.concurrent.CompletableFuture;

/** How online charging reaches the OCS (the Ro peers: {@code charging.ro.RoPeers}). */
public interface CreditTransport {
    /**
     * Sends the request; {@code failover}: on to the alternative OCS (with the T flag) when the first does not answer
     * within Tx. Completes exceptionally when no OCS answered.
     */
    CompletableFuture<CreditAnswer> send(CreditRequest request, boolean failover);
}

package org.webims.gateway.ejb.charging.ro;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import org.webims.gateway.diameter.codec.MalformedMessage;
import org.webims.gateway.diameter.peer.PeerGroup;
import org.webims.gateway.ejb.charging.CreditAnswer;
import org.webims.gateway.ejb.charging.CreditRequest;
import org.webims.gateway.ejb.charging.CreditTransport;

/**
 * Online charging's way to the OCS: the Ro peer group, whose answer timeout is Tx (RFC 4006 §13,
 * {@code gateway.charging.ro.tx-ms}); with failover, a request not answered within Tx goes on to the alternative OCS.
 */
public final class RoPeers implements CreditTransport {
    private final PeerGroup peers;
    private final CreditControlMessages messages;
    private final IntSupplier endToEnd;

    public RoPeers(PeerGroup peers, CreditControlMessages messages, IntSupplier endToEnd) {
        this.peers = peers;
        this.messages = messages;
        this.endToEnd = endToEnd;
    }

    @Override
    public CompletableFuture<CreditAnswer> send(CreditRequest request, boolean failover) {
        var ccr = messages.ccr(request, endToEnd.getAsInt());
        return (failover ? peers.send(ccr) : peers.sendWithoutFailover(ccr)).thenApply(cca -> {
            try {
                return CreditControlMessages.answer(cca);
            } catch (MalformedMessage e) {
                return new CreditAnswer(3009, null, null, null, false, null); // DIAMETER_INVALID_AVP_BITS: unreadable
            }
        });
    }
}

package org.webims.gateway.ejb.charging.rf;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.webims.gateway.ejb.charging.OutboxTransport;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MalformedMessage;
import org.webims.gateway.diameter.codec.MessageCodec;
import org.webims.gateway.diameter.codec.ResultCode;
import org.webims.gateway.diameter.peer.PeerGroup;

/**
 * The outbox's way to the CDF: the Rf peer group (primary, then secondary). An ACA's Result-Code decides (RFC 6733
 * §7.1): 2xxx delivered; 3xxx (protocol) and 4xxx (transient) sent again later; 5xxx (permanent) rejected for good.
 * No answer at all (no peer up, the connection lost, the answer timeout) is sent again later.
 */
public final class RfPeers implements OutboxTransport {
    private final PeerGroup peers;

    public RfPeers(PeerGroup peers) {
        this.peers = peers;
    }

    @Override
    public boolean available() {
        return peers.available();
    }

    @Override
    public CompletableFuture<Delivery> deliver(byte[] message, boolean retransmission) {
        DiameterMessage request;
        try {
            request = MessageCodec.decode(message);
        } catch (MalformedMessage e) {
            return CompletableFuture.completedFuture(new Delivery(Outcome.REJECTED, "stored ACR unreadable: "
                    + e.getMessage()));
        }
        return peers.send(retransmission ? request.retransmission() : request).handle((answer, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                return new Delivery(Outcome.RETRY, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
            return judge(answer);
        });
    }

    static Delivery judge(DiameterMessage answer) {
        long result;
        try {
            result = answer.first(AvpCode.RESULT_CODE).isPresent()
                    ? answer.first(AvpCode.RESULT_CODE).get().unsigned32() : -1;
        } catch (MalformedMessage e) {
            return new Delivery(Outcome.RETRY, "ACA with a malformed Result-Code");
        }
        if (result >= 2000 && result < 3000) {
            return result == ResultCode.SUCCESS ? Delivery.delivered() : new Delivery(Outcome.DELIVERED,
                    Long.toString(result));
        }
        if (result >= 5000 && result < 6000) {
            return new Delivery(Outcome.REJECTED, "Result-Code " + result);
        }
        return new Delivery(Outcome.RETRY, result < 0 ? "ACA without Result-Code" : "Result-Code " + result);
    }
}

package org.webims.gateway.ejb.charging.rf;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.webims.gateway.ejb.charging.OutboxTransport;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MalformedMessage;
import org.webims.gateway.diameter.codec.MessageCodec;
import org.webims.gateway.diameter.codec.ResultCode;
import org.webims.gateway.diameter.peer.PeerGroup;

/**
 * The outbox's way to the CDF: the Rf peer group (primary, then secondary). An ACA's Result-Code decides (RFC 6733
 * §7.1): 2xxx delivered; 3002 and 3004 (no route now, too busy) sent again later for as long as it takes; 4xxx
 * (transient) and an answer without a readable Result-Code sent again a few times; other 3xxx (protocol errors that
 * would repeat) and 5xxx (permanent) rejected for good.
 * No answer at all (no peer up, the connection lost, the answer timeout) is sent again later.
 */
public final class RfPeers implements OutboxTransport {
    private static final int START_RECORD = 2;
    private static final int STOP_RECORD = 4;
    private final PeerGroup peers;
    /** The CDF that took each open accounting session's START: its later records go there (RFC 6733 §6.1). */
    private final Map<String, String> sessionHosts = new ConcurrentHashMap<>();

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
        String session = request.first(AvpCode.SESSION_ID).map(Avp::utf8).orElse("");
        int type = recordType(request);
        String host = type == START_RECORD ? null : sessionHosts.get(session);
        return peers.send(retransmission ? request.retransmission() : request, host, true).handle((answer, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                return new Delivery(Outcome.RETRY, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
            Delivery delivery = judge(answer);
            if (type == STOP_RECORD && delivery.outcome() != Outcome.RETRY
                    && delivery.outcome() != Outcome.ANSWERED_FAILURE) {
                sessionHosts.remove(session);
            } else if (type == START_RECORD && delivery.outcome() == Outcome.DELIVERED) {
                answer.originHost().ifPresent(h -> sessionHosts.put(session, h));
            }
            return delivery;
        });
    }

    private static int recordType(DiameterMessage request) {
        try {
            return request.first(AvpCode.ACCOUNTING_RECORD_TYPE).isPresent()
                    ? request.first(AvpCode.ACCOUNTING_RECORD_TYPE).get().integer32() : 0;
        } catch (MalformedMessage e) {
            return 0;
        }
    }

    /** Accounting sessions whose CDF is known (for the tests). */
    int knownSessions() {
        return sessionHosts.size();
    }

    static Delivery judge(DiameterMessage answer) {
        long result;
        try {
            result = answer.first(AvpCode.RESULT_CODE).isPresent()
                    ? answer.first(AvpCode.RESULT_CODE).get().unsigned32() : -1;
        } catch (MalformedMessage e) {
            return new Delivery(Outcome.ANSWERED_FAILURE, "ACA with a malformed Result-Code");
        }
        if (result >= 2000 && result < 3000) {
            return result == ResultCode.SUCCESS ? Delivery.delivered() : new Delivery(Outcome.DELIVERED,
                    Long.toString(result));
        }
        if (result == ResultCode.UNABLE_TO_DELIVER || result == ResultCode.TOO_BUSY) {
            return new Delivery(Outcome.RETRY, "Result-Code " + result); // RFC 6733 §7.1.3: another try, later
        }
        if (result >= 3000 && result < 4000 || result >= 5000 && result < 6000) {
            return new Delivery(Outcome.REJECTED, "Result-Code " + result); // a protocol error that will repeat
        }
        return new Delivery(Outcome.ANSWERED_FAILURE, result < 0 ? "ACA without Result-Code" : "Result-Code "
                + result);
    }
}

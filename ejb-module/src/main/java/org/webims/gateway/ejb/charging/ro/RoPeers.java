package org.webims.gateway.ejb.charging.ro;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
    /** The OCS that holds each open credit-control session: its CCR-UPDATEs and -TERMINATION go there (§5.1). */
    private final Map<String, String> sessionHosts = new ConcurrentHashMap<>();

    public RoPeers(PeerGroup peers, CreditControlMessages messages, IntSupplier endToEnd) {
        this.peers = peers;
        this.messages = messages;
        this.endToEnd = endToEnd;
    }

    @Override
    public CompletableFuture<CreditAnswer> send(CreditRequest request, boolean failover) {
        var ccr = messages.ccr(request, endToEnd.getAsInt());
        String session = request.sessionId();
        boolean opens = request.type() == CreditRequest.Type.INITIAL;
        boolean closes = request.type() == CreditRequest.Type.TERMINATION;
        String host = opens || request.type() == CreditRequest.Type.EVENT ? null : sessionHosts.get(session);
        CompletableFuture<CreditAnswer> answered = peers.send(ccr, host, failover).thenApply(cca -> {
            CreditAnswer answer;
            try {
                answer = CreditControlMessages.answer(cca);
            } catch (MalformedMessage e) {
                return new CreditAnswer(3009, null, null, null, false, null); // DIAMETER_INVALID_AVP_BITS: unreadable
            }
            if (!closes && request.type() != CreditRequest.Type.EVENT && answer.sessionEstablished()) {
                cca.originHost().ifPresent(h -> sessionHosts.put(session, h)); // after a failover: the new server
            }
            return answer;
        });
        if (closes) {
            answered.whenComplete((answer, failure) -> sessionHosts.remove(session));
        }
        return answered;
    }
}

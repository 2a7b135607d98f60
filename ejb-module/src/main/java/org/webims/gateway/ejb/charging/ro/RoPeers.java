package org.webims.gateway.ejb.charging.ro;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.concurrent.CompletionException;
import org.webims.gateway.diameter.codec.MalformedMessage;
import org.webims.gateway.diameter.peer.PeerException;
import org.webims.gateway.diameter.peer.PeerGroup;
import org.webims.gateway.diameter.peer.Urgency;
import org.webims.gateway.ejb.charging.CreditAnswer;
import org.webims.gateway.ejb.charging.CreditRequest;
import org.webims.gateway.ejb.charging.CreditTransport;

/**
 * Online charging's way to the OCS: the Ro peer group, whose answer timeout is Tx (RFC 4006 §13,
 * {@code gateway.charging.ro.tx-ms}); with failover, a request not answered within Tx goes on to the alternative OCS.
 * A CCR-INITIAL or EVENT is the first request of a session: with a slow OCS it is refused at once while only the room
 * kept for calls in progress is left (their CCR-UPDATE and -TERMINATION), never those.
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
        Urgency urgency = opens || request.type() == CreditRequest.Type.EVENT ? Urgency.NEW_SESSION : Urgency.ONGOING;
        CompletableFuture<CreditAnswer> answered = peers.send(ccr, host, failover, urgency).thenApply(cca -> {
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
        }).exceptionallyCompose(RoPeers::saturated);
        if (closes) {
            answered.whenComplete((answer, failure) -> sessionHosts.remove(session));
        }
        return answered;
    }

    @Override
    public boolean saturated() {
        return peers.available() && !peers.takesNewSessions();
    }

    /** A request every OCS refused before it left (its bound in flight reached) fails as {@link Saturated}. */
    private static CompletableFuture<CreditAnswer> saturated(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return CompletableFuture.failedFuture(cause instanceof PeerException.Overloaded
                ? new Saturated(cause.getMessage()) : cause);
    }
}

package org.webims.gateway.diameter.peer;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MalformedMessage;
import org.webims.gateway.diameter.codec.ResultCode;

/**
 * The peers of one application (Rf, Ro), the first the primary: a request goes to the first peer whose watchdog is
 * OKAY; when that peer fails it (connection lost, no answer, refused as overloaded) or answers 3002 / 3004 (RFC 6733
 * §7.1.3: another peer may succeed), it goes to the next one, marked as a possible retransmission (the T flag, §5.5.4)
 * when the first may have received it. Each peer is tried once per request. A peer that refuses a request at once
 * (its bound in flight reached: the request never left) passes it on to the next one, failover or not; the first
 * request of a new session ({@link Urgency#NEW_SESSION}) finds less room at each peer than a session in progress.
 */
public final class PeerGroup {
    private final List<DiameterPeer> peers;

    public PeerGroup(List<DiameterPeer> peers) {
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("an application needs at least one peer");
        }
        this.peers = List.copyOf(peers);
    }

    public List<DiameterPeer> peers() {
        return peers;
    }

    /** Whether any peer takes requests now. */
    public boolean available() {
        return peers.stream().anyMatch(p -> p.state() == Watchdog.State.OKAY);
    }

    /** Whether some peer takes the first request of a new session now (OKAY, and room in flight for one). */
    public boolean takesNewSessions() {
        return peers.stream().anyMatch(DiameterPeer::takesNewSessions);
    }

    public CompletableFuture<DiameterMessage> send(DiameterMessage request) {
        return send(request, null, true);
    }

    /** A request of a session in progress (or of none): see {@link #send(DiameterMessage, String, boolean, Urgency)}. */
    public CompletableFuture<DiameterMessage> send(DiameterMessage request, String sessionHost, boolean failover) {
        return send(request, sessionHost, failover, Urgency.ONGOING);
    }

    /**
     * Sends a request of a session that lives at {@code sessionHost} (null: anywhere), with failover when
     * {@code failover}. The first attempt carries Destination-Host set to that host (RFC 6733 §6.1: a session's
     * requests go to the server that holds it) and goes to the peer that is that host when it is connected; when that
     * host is none of our peers (a relay agent such as a DRA sits between), it goes to the first peer with
     * Destination-Host all the same. Should the server we reached directly be down, or the request fail, the others
     * get it in their order without Destination-Host, as any server of the realm may take the session over.
     */
    public CompletableFuture<DiameterMessage> send(DiameterMessage request, String sessionHost, boolean failover,
            Urgency urgency) {
        List<DiameterPeer> order = peers;
        DiameterMessage first = request.toAnyHost();
        if (sessionHost != null) {
            DiameterPeer home = peers.stream().filter(p -> sessionHost.equals(p.remoteHost().orElse(null))
                    && p.state() == Watchdog.State.OKAY).findFirst().orElse(null);
            boolean direct = peers.stream().anyMatch(p -> sessionHost.equals(p.remoteHost().orElse(null)));
            if (home != null) {
                order = new java.util.ArrayList<>(peers.size());
                order.add(home);
                peers.stream().filter(p -> p != home).forEach(order::add);
                first = request.toHost(sessionHost);
            } else if (!direct) {
                first = request.toHost(sessionHost); // behind a relay agent, which routes by Destination-Host
            } // else the server we reached directly is down: any other may take the session over
        }
        return attempt(order, first, 0, null, failover, urgency);
    }

    /**
     * Sends a request first over the connection to {@code peerHost} (the Origin-Host of the peer that may hold its
     * session: the server, or a relay agent before it), without Destination-Host, so that a relay routes it by its
     * Session-Id and a server takes it as its own; then to the others, with failover. For a request about a session
     * whose holder we never learnt (the STR after an unanswered AAR).
     */
    public CompletableFuture<DiameterMessage> sendOver(DiameterMessage request, String peerHost, Urgency urgency) {
        List<DiameterPeer> order = new java.util.ArrayList<>(peers.size());
        peers.stream().filter(p -> peerHost != null && peerHost.equals(p.remoteHost().orElse(null)))
                .forEach(order::add);
        peers.stream().filter(p -> !order.contains(p)).forEach(order::add);
        return attempt(order, request.toAnyHost(), 0, null, true, urgency);
    }

    /**
     * Sends to the first peer that takes requests, with no failover once it has the request: for a credit-control
     * session whose failure handling is TERMINATE (RFC 4006 §5.7).
     */
    public CompletableFuture<DiameterMessage> sendWithoutFailover(DiameterMessage request) {
        return send(request, null, false, Urgency.ONGOING);
    }

    private CompletableFuture<DiameterMessage> attempt(List<DiameterPeer> order, DiameterMessage request, int from,
            Throwable last, boolean failover, Urgency urgency) {
        int index = from;
        while (index < order.size() && order.get(index).state() != Watchdog.State.OKAY) {
            index++;
        }
        if (index >= order.size()) {
            return CompletableFuture.failedFuture(last != null ? last
                    : new PeerException.Unavailable("no peer of " + describe() + " takes requests now"));
        }
        int next = index + 1;
        return order.get(index).send(request, urgency).handle((answer, failure) -> {
            if (failure == null && !retryElsewhere(answer)) {
                return CompletableFuture.completedFuture(answer);
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            // the peer may have taken a request it did not answer: the next one gets it with the T flag
            boolean mayHaveArrived = !(cause instanceof PeerException.Unavailable)
                    && !(cause instanceof PeerException.Overloaded);
            DiameterMessage again = (mayHaveArrived ? request.retransmission() : request).toAnyHost();
            if ((next >= order.size() || !failover) && answer != null) {
                return CompletableFuture.completedFuture(answer); // the last peer's refusal is the answer
            }
            if (!failover && mayHaveArrived) {
                return CompletableFuture.<DiameterMessage>failedFuture(cause);
            }
            // failover, or a request the peer refused before it left: the next peer may take it
            return attempt(order, again, next, cause, failover, urgency);
        }).thenCompose(f -> f);
    }

    private static boolean retryElsewhere(DiameterMessage answer) {
        try {
            long result = answer.first(AvpCode.RESULT_CODE).isPresent()
                    ? answer.first(AvpCode.RESULT_CODE).get().unsigned32() : -1;
            return result == ResultCode.UNABLE_TO_DELIVER || result == ResultCode.TOO_BUSY;
        } catch (MalformedMessage e) {
            return false;
        }
    }

    private String describe() {
        return peers.stream().map(p -> p.describe()).toList().toString();
    }
}

package org.webims.gateway.ejb.qos;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MalformedMessage;
import org.webims.gateway.diameter.codec.ResultCode;
import org.webims.gateway.diameter.peer.PeerException;
import org.webims.gateway.diameter.peer.PeerRequests;
import org.webims.gateway.diameter.peer.Urgency;
import org.webims.gateway.ejb.charging.LogThrottle;
import org.webims.gateway.ejb.charging.SessionIds;
import org.webims.gateway.ports.call.CallFacts;
import org.webims.gateway.ports.qos.BearerRelease;
import org.webims.gateway.ports.qos.MediaComponent;
import org.webims.gateway.ports.qos.QosControl;
import org.webims.gateway.ports.qos.QosDecision;

/**
 * The AF's Rx sessions (TS 29.214 §4.4), one per call that asked for QoS: the initial AAR decides whether the call
 * goes on ({@link QosMode}); updates follow the media; the STR ends it with the call. The PCRF's Abort-Session-Request
 * and a Re-Auth-Request reporting the bearer lost or released release the call (its end then sends the STR, §4.4.4).
 * A session's requests go out in order, one after the other, to the PCRF that holds it. The initial AAR is a new
 * session's request: with the PCRFs slow, it is refused at once while only the room kept for sessions in progress is
 * left (their updates and STRs go on), and where QoS is required the call gets 503 "the PCRF is saturated". Never
 * blocks: answers arrive on the Diameter event loop, where only bookkeeping runs.
 */
public final class PolicyAuthorization implements QosControl, PeerRequests {
    private static final Logger LOG = Logger.getLogger(PolicyAuthorization.class.getName());

    /**
     * How requests reach the PCRFs: to the one that holds the session first (null: any), with failover; a new
     * session's request finds less room than those of sessions in progress, and fails with
     * {@link PeerException.Overloaded} where no PCRF has room for it.
     */
    public interface Transport {
        CompletableFuture<DiameterMessage> send(DiameterMessage request, String sessionHost, Urgency urgency);

        /** Over the connection to {@code peerHost} first, without Destination-Host ({@link org.webims.gateway.diameter.peer.PeerGroup#sendOver}). */
        CompletableFuture<DiameterMessage> sendOver(DiameterMessage request, String peerHost, Urgency urgency);

        int nextEndToEnd();
    }

    private final Transport transport;
    private final RxMessages messages;
    private final SessionIds sessionIds;
    private final QosMode mode;
    private final Map<String, RxSession> byCall = new ConcurrentHashMap<>();
    private final Map<String, RxSession> bySessionId = new ConcurrentHashMap<>();
    private final LogThrottle refusals = new LogThrottle(LOG);

    public PolicyAuthorization(Transport transport, RxMessages messages, SessionIds sessionIds, QosMode mode) {
        this.transport = transport;
        this.messages = messages;
        this.sessionIds = sessionIds;
        this.mode = mode;
    }

    /** One call's Rx session; its requests are chained so that none overtakes another. */
    private static final class RxSession {
        final String id;
        final CallFacts call;
        final BearerRelease release;
        /** The PCRF that answered the initial AAR (its Origin-Host). */
        volatile String host;
        /** The initial AAR succeeded: updates and the STR are due. */
        volatile boolean open;
        /** Its STR is sent (once, whichever of the call's end and the AAA comes last). */
        private boolean terminated;
        private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

        RxSession(String id, CallFacts call, BearerRelease release) {
            this.id = id;
            this.call = call;
            this.release = release;
        }

        /** Runs {@code next} once everything sent before it has its answer (or failed). */
        synchronized void then(Supplier<CompletableFuture<?>> next) {
            tail = tail.handle((ignored, error) -> null).thenCompose(ignored -> next.get());
        }

        synchronized boolean terminating() {
            boolean first = !terminated;
            terminated = true;
            return first;
        }
    }

    @Override
    public CompletionStage<QosDecision> authorise(CallFacts call, String clientAddress, List<MediaComponent> media,
            BearerRelease release) {
        RxSession session = new RxSession(sessionIds.next("rx"), call, release);
        DiameterMessage aar = messages.aar(session.id, true, call, clientAddress, media, transport.nextEndToEnd());
        byCall.put(call.id(), session);
        bySessionId.put(session.id, session);
        synchronized (session) { // what follows waits for the decision, not only the answer
            CompletableFuture<QosDecision> decided = send(aar, null, Urgency.NEW_SESSION)
                    .handle((a, error) -> decide(session, a, error));
            session.tail = decided;
            return decided;
        }
    }

    private QosDecision decide(RxSession session, DiameterMessage answer, Throwable error) {
        OptionalLong result = answer == null ? OptionalLong.empty() : RxMessages.result(answer);
        if (error == null && result.isPresent() && (result.getAsLong() == ResultCode.SUCCESS
                || result.getAsLong() == ResultCode.LIMITED_SUCCESS)) {
            session.host = answer.originHost().orElse(null);
            session.open = true;
            if (!byCall.containsKey(session.call.id())) {
                terminate(session); // the call ended while the AAR was out
            }
            return QosDecision.PROCEED;
        }
        forget(session);
        if (cause(error) instanceof PeerException.MayHaveArrived unanswered) {
            abandon(session, unanswered.peerHost().orElse(null));
        }
        boolean unreachable = error != null || result.isEmpty();
        boolean saturated = cause(error) instanceof PeerException.Overloaded;
        String why = saturated ? "no PCRF has room for a new session (" + describe(error) + ")"
                : unreachable ? "no PCRF answered the AAR (" + describe(error) + ")"
                : "the PCRF did not authorise the media (" + result.getAsLong() + ")";
        if (mode == QosMode.BEST_EFFORT) {
            refusals.warning(() -> "No QoS for call " + session.call.id() + ": " + why + "; it goes on (best effort)");
            return QosDecision.PROCEED;
        }
        if (unreachable) { // one line per 10 s: every new call says the same while the PCRFs are away or slow
            refusals.warning(() -> "Call " + session.call.id() + " refused: " + why + " and QoS is required");
        } else {
            LOG.info(() -> "Call " + session.call.id() + " refused: " + why + " and QoS is required");
        }
        // RFC 3261 §21.4.26: the session as described cannot be given here; §21.5.4: nobody could be asked
        return saturated ? new QosDecision.Refused(503, "QoS required and the PCRF is saturated")
                : unreachable ? new QosDecision.Refused(503, "QoS required and the PCRF is unreachable")
                : new QosDecision.Refused(488, "QoS required and not authorised by the PCRF ("
                        + result.getAsLong() + ")");
    }

    @Override
    public void modify(String callId, List<MediaComponent> media) {
        RxSession session = byCall.get(callId);
        if (session == null) {
            return;
        }
        session.then(() -> {
            if (!session.open || !byCall.containsKey(callId)) {
                return CompletableFuture.completedFuture(null);
            }
            DiameterMessage aar = messages.aar(session.id, false, session.call, null, media,
                    transport.nextEndToEnd());
            return send(aar, session.host, Urgency.ONGOING).whenComplete((answer, error) -> {
                OptionalLong result = answer == null ? OptionalLong.empty() : RxMessages.result(answer);
                if (error != null || result.isEmpty() || result.getAsLong() != ResultCode.SUCCESS) {
                    // §4.4.2: the PCRF keeps the earlier authorisation; the call goes on with it
                    LOG.warning(() -> "The PCRF did not take the media change of call " + callId + " ("
                            + (error != null ? describe(error) : result) + ")");
                }
            });
        });
    }

    @Override
    public void release(String callId) {
        RxSession session = byCall.remove(callId);
        if (session != null && session.open) {
            terminate(session);
        } // not open yet: decide() sends the STR if the AAA is a success
    }

    private void terminate(RxSession session) {
        if (!session.terminating()) {
            return;
        }
        session.open = false;
        session.then(() -> send(messages.str(session.id, transport.nextEndToEnd()), session.host, Urgency.ONGOING)
                .whenComplete((answer, error) -> {
                    bySessionId.remove(session.id);
                    if (error != null) {
                        LOG.warning(() -> "No answer to the STR of call " + session.call.id() + ": "
                                + describe(error));
                    }
                }));
    }

    private void forget(RxSession session) {
        byCall.remove(session.call.id(), session);
        bySessionId.remove(session.id);
    }

    /** STR for every open session (the gateway stops): their calls cannot outlive it. */
    public void close() {
        byCall.keySet().forEach(this::release);
    }

    /** Rx sessions held now (for the status page and tests). */
    public int sessions() {
        return bySessionId.size();
    }

    /**
     * The PCRF's requests (on the Diameter event loop): ASR (§4.4.4) releases the call; RAR (§4.4.6) with the bearer
     * lost or released too; other RARs are acknowledged. A session this gateway does not hold gets 5002.
     */
    @Override
    public long answer(DiameterMessage request) {
        if (request.commandCode() != RxMessages.ABORT_SESSION && request.commandCode() != RxMessages.RE_AUTH) {
            return ResultCode.COMMAND_UNSUPPORTED;
        }
        RxSession session = request.first(AvpCode.SESSION_ID).map(Avp::utf8).map(bySessionId::get).orElse(null);
        if (session == null) {
            return ResultCode.UNKNOWN_SESSION_ID;
        }
        if (request.commandCode() == RxMessages.ABORT_SESSION) {
            release(session, "the PCRF aborted the QoS session (Abort-Cause " + code(request, AvpCode.ABORT_CAUSE)
                    + ")");
        } else if (bearerGone(request)) {
            release(session, "the access network lost the media bearer");
        }
        return ResultCode.SUCCESS;
    }

    private static void release(RxSession session, String why) {
        LOG.info(() -> "Releasing call " + session.call.id() + ": " + why);
        try {
            session.release.release(why);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not release call " + session.call.id(), e);
        }
    }

    private static boolean bearerGone(DiameterMessage rar) {
        return rar.avps().stream().filter(a -> a.is(AvpCode.SPECIFIC_ACTION)).anyMatch(a -> {
            try {
                int action = a.integer32();
                return action == RxMessages.INDICATION_OF_LOSS_OF_BEARER
                        || action == RxMessages.INDICATION_OF_RELEASE_OF_BEARER;
            } catch (MalformedMessage e) {
                return false;
            }
        });
    }

    private static String code(DiameterMessage message, AvpCode code) {
        return message.first(code).map(a -> {
            try {
                return Integer.toString(a.integer32());
            } catch (MalformedMessage e) {
                return "unreadable";
            }
        }).orElse("none");
    }

    private CompletableFuture<DiameterMessage> send(DiameterMessage request, String host, Urgency urgency) {
        try {
            return transport.send(request, host, urgency);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * RFC 6733 §8.4: a session the PCRF may hold though we never learnt it (its AAA came too late) is ended with an
     * STR, so it does not stay authorised for a call that never was; an unknown session just gets 5002. It goes to
     * the connection the AAR left on ({@code host}: the PCRF, or the relay agent that routes by Session-Id, RFC 6733
     * §6.1), not to whichever PCRF is first.
     */
    private void abandon(RxSession session, String host) {
        // best effort: it must not take the room kept for the updates and STRs of calls in progress
        CompletableFuture<DiameterMessage> sent;
        try {
            sent = transport.sendOver(messages.str(session.id, transport.nextEndToEnd()), host, Urgency.NEW_SESSION);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete(
                (answer, error) -> LOG.fine(() -> "STR of the unanswered AAR of call " + session.call.id() + ": "
                        + (error != null ? describe(error) : RxMessages.result(answer))));
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String describe(Throwable error) {
        Throwable cause = cause(error);
        return cause == null ? "no result" : cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage();
    }
}

package org.webims.gateway.ejb.charging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.ports.call.CallEvent;
import org.webims.gateway.ports.call.CallEventListener;
import org.webims.gateway.ports.call.CallFacts;
import org.webims.gateway.ports.call.MessageFacts;
import org.webims.gateway.ports.charging.CallRelease;
import org.webims.gateway.ports.charging.CreditControl;
import org.webims.gateway.ports.charging.CreditDecision;

/**
 * Online charging of calls with unit reservation and of MESSAGEs by direct debiting (RFC 4006 §5, TS 32.260 §5.3,
 * TS 32.299 Ro). A call's credit session: CCR-INITIAL before it is set up; the granted time counted from the answer;
 * CCR-UPDATE with the used time before the grant runs out (Time-Quota-Threshold before its end, or at the
 * Validity-Time); with a Final-Unit-Indication the call is released when the final units are used; CCR-TERMINATION
 * with the used time however the call ends, also before the answer or before the CCA-INITIAL came, and never while a
 * CCR-UPDATE is still unanswered (it goes once that answer is in, so no interval is reported twice). Refusals: 4012 →
 * 402, 4010 and 5030 (and other permanent failures) → 403. An OCS that does not answer within Tx: the session's
 * Credit-Control-Failure-Handling decides (§5.7), the CCA's value overriding the configured one: TERMINATE refuses at
 * Tx, CONTINUE lets the call through at Tx (a late answer still takes control of it), RETRY_AND_TERMINATE waits for
 * the alternative OCS and refuses when that fails too. An OCS so slow that its peers have no room for a new session
 * (the last quarter of each bound in flight is kept for calls in progress) is a failure of the same kind, at once:
 * except under CONTINUE, new calls and MESSAGEs get 503 "online charging saturated", asked before admission
 * ({@link #refusesNewCalls}), while the calls up keep their updates and terminations.
 * <p>
 * Nothing here waits: answers arrive on the Diameter thread and are small state changes under the session's lock;
 * timers run on the scheduler; the call is released through call control's {@link CallRelease}.
 */
public final class OnlineCharging implements CreditControl, CallEventListener {
    private static final Logger LOG = Logger.getLogger(OnlineCharging.class.getName());
    /** The Warning of a new call or MESSAGE refused while the OCS has no room for it (503 with Retry-After). */
    static final String SATURATED = "online charging saturated";

    /**
     * The knobs: what to ask for, what to do when the OCS is away, how early to ask again, and Tx (RFC 4006 §13), the
     * longest a call waits for the OCS before the failure handling decides.
     */
    public record Settings(long requestedSeconds, FailureHandling failureHandling, Duration defaultThreshold,
            Duration tx, Duration finalUnitsWarning) {
        /** Without a warning before the final units run out. */
        public Settings(long requestedSeconds, FailureHandling failureHandling, Duration defaultThreshold,
                Duration tx) {
            this(requestedSeconds, failureHandling, defaultThreshold, tx, Duration.ZERO);
        }
    }

    private final CreditTransport transport;
    private final SessionIds sessionIds;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Settings settings;
    private final Map<String, CreditSession> sessions = new ConcurrentHashMap<>();
    private final LogThrottle warnings = new LogThrottle(LOG);

    public OnlineCharging(CreditTransport transport, SessionIds sessionIds, ScheduledExecutorService timers,
            Clock clock, Settings settings) {
        this.transport = transport;
        this.sessionIds = sessionIds;
        this.timers = timers;
        this.clock = clock;
        this.settings = settings;
    }

    /** One call's credit-control session; everything under its lock. */
    private final class CreditSession {
        final String sessionId;
        final CallFacts facts;
        final CallRelease release;
        final CompletableFuture<CreditDecision> decision = new CompletableFuture<>();
        FailureHandling handling = settings.failureHandling();
        int number;
        /** The OCS holds a credit-control session for this call: it gets a CCR-TERMINATION. */
        boolean open;
        /** Credit control gave up for this call (CONTINUE after a failure): no more updates. */
        boolean uncontrolled;
        boolean ended;
        Instant endedAt;
        /** Why, for the CCR-TERMINATION (RFC 6733 §8.15). */
        TerminationCause endCause = TerminationCause.LOGOUT;
        /** Why credit control released the call, if it did: what its end reads as (the call's end says only "credit"). */
        TerminationCause releasedFor;
        /** A CCR-UPDATE is unanswered: a CCR-TERMINATION waits for its answer. */
        boolean updating;
        Instant answeredAt;
        /** Used time has been reported up to here (the answer, then by the seconds each CCR-UPDATE reported). */
        Instant reportedUpTo;
        long grantedSeconds;
        Long validitySeconds;
        Long thresholdSeconds;
        boolean finalUnits;
        ScheduledFuture<?> timer;
        ScheduledFuture<?> warning;

        CreditSession(CallFacts facts, CallRelease release) {
            this.sessionId = sessionIds.next("ro-" + facts.id());
            this.facts = facts;
            this.release = release;
        }

        CreditRequest request(CreditRequest.Type type, long requested, long used) {
            return new CreditRequest(sessionId, type, number++, clock.instant(), "INVITE", facts.direction(),
                    facts.subscriber(), facts.remote(), facts.provider(), facts.icid(), requested, used, false,
                    type == CreditRequest.Type.TERMINATION ? endCause : null);
        }

        void granted(CreditAnswer answer) {
            // no Granted-Service-Unit: the OCS sets no limit on time, only (perhaps) a Validity-Time to ask again
            grantedSeconds = answer.grantedSeconds() == null ? Long.MAX_VALUE : answer.grantedSeconds();
            validitySeconds = answer.validitySeconds();
            thresholdSeconds = answer.thresholdSeconds();
            finalUnits = answer.finalUnits();
            if (answer.failureHandling() != null) {
                handling = answer.failureHandling(); // RFC 4006 §8.14: the server's value wins
            }
        }

        /** The next step of an answered call: an update before the grant runs out, or the release after the last. */
        void schedule() {
            cancelTimer();
            if (ended || uncontrolled || !open || answeredAt == null) {
                return;
            }
            boolean unlimited = grantedSeconds == Long.MAX_VALUE;
            long grantMs = unlimited ? Long.MAX_VALUE : TimeUnit.SECONDS.toMillis(grantedSeconds);
            long sinceReport = Duration.between(reportedUpTo, clock.instant()).toMillis();
            if (finalUnits && !unlimited) {
                long left = Math.max(0, grantMs - sinceReport);
                timer = timers.schedule(() -> finalUnitsUsed(this), left, TimeUnit.MILLISECONDS);
                long warnMs = settings.finalUnitsWarning().toMillis();
                if (warnMs > 0) { // TS 22.228 §11.2: told before the release, not at it
                    warning = timers.schedule(() -> warnFinalUnits(this), Math.max(0, left - warnMs),
                            TimeUnit.MILLISECONDS);
                }
                return;
            }
            long at = Long.MAX_VALUE;
            if (!unlimited) {
                long threshold = TimeUnit.SECONDS.toMillis(thresholdSeconds != null ? thresholdSeconds
                        : Math.min(settings.defaultThreshold().toSeconds(), Math.max(1, grantedSeconds / 4)));
                at = grantMs - Math.min(threshold, grantMs / 2); // a threshold at or past the grant: ask at half
            }
            if (validitySeconds != null) {
                at = Math.min(at, TimeUnit.SECONDS.toMillis(validitySeconds)); // RFC 4006 §8.33
            }
            if (at == Long.MAX_VALUE) {
                return; // neither a limit nor a validity: nothing to ask until the call ends
            }
            long wait = Math.max(0, at - sinceReport);
            timer = timers.schedule(() -> update(this), wait, TimeUnit.MILLISECONDS);
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            if (warning != null) {
                warning.cancel(false);
                warning = null;
            }
        }

        long usedSeconds(Instant until) {
            if (answeredAt == null) {
                return 0;
            }
            long ms = Duration.between(reportedUpTo, until).toMillis();
            return Math.max(0, (ms + 500) / 1000); // whole seconds, rounded (CC-Time, RFC 4006 §8.21)
        }

        /** The used time went in a request the OCS took: the next report starts where this one ended. */
        void reported(long seconds) {
            if (answeredAt != null && seconds > 0) {
                reportedUpTo = reportedUpTo.plusSeconds(seconds);
            }
        }

        /** The call is over and no request is pending: close the OCS's session with what is left to report. */
        void close() {
            sessions.remove(facts.id(), this);
            if (open) {
                open = false;
                terminate(this, usedSeconds(endedAt));
            }
        }
    }

    @Override
    public CompletionStage<CreditDecision> reserve(CallFacts call, CallRelease release) {
        CreditSession session = new CreditSession(call, release);
        sessions.put(call.id(), session);
        CreditRequest initial;
        synchronized (session) {
            initial = session.request(CreditRequest.Type.INITIAL, settings.requestedSeconds(), -1);
        }
        ScheduledFuture<?> tx = timers.schedule(() -> txExpired(session), settings.tx().toMillis(),
                TimeUnit.MILLISECONDS);
        transport.send(initial, session.handling.failsOver()).whenComplete((answer, failure) -> {
            tx.cancel(false);
            synchronized (session) {
                if (session.decision.isDone()) {
                    lateInitialAnswer(session, answer, failure);
                } else {
                    decide(session, initialDecision(session, answer, failure));
                }
            }
        });
        return session.decision;
    }

    /** The call's decision is made: a refused call's session is gone, an ended one is closed. Under the lock. */
    private void decide(CreditSession session, CreditDecision decision) {
        if (decision instanceof CreditDecision.Refused) {
            if (!session.ended) {
                session.endCause = TerminationCause.ADMINISTRATIVE; // RFC 6733 §8.15: not granted access
            }
            session.ended = true;
            session.endedAt = session.endedAt == null ? clock.instant() : session.endedAt;
            session.close(); // closes the OCS's session where the answer opened one
        } else if (session.ended) { // ended before the CCA came: close the credit session at once
            session.endCause = TerminationCause.SERVICE_NOT_PROVIDED; // RFC 6733 §8.15: before the answer
            session.close();
        }
        session.decision.complete(decision);
    }

    /** Tx ran out before the CCA-INITIAL (RFC 4006 §5.7): the failure handling decides now, or waits for failover. */
    private void txExpired(CreditSession session) {
        synchronized (session) {
            if (session.decision.isDone()) {
                return;
            }
            if (session.handling == FailureHandling.CONTINUE) {
                warn(() -> "No answer from online charging within Tx for a call of " + session.facts.subscriber()
                        + ": CONTINUE, the call goes on; a late answer still controls it");
                session.uncontrolled = true;
                decide(session, CreditDecision.GRANTED);
            } else if (session.handling == FailureHandling.TERMINATE) {
                warn(() -> "No answer from online charging within Tx for a call of " + session.facts.subscriber()
                        + ": TERMINATE, the call is refused");
                decide(session, new CreditDecision.Refused(503, "online charging system unreachable"));
            } // RETRY_AND_TERMINATE: the request is with the alternative OCS now; its answer or failure decides
        }
    }

    /** The CCA-INITIAL came after Tx decided. Under the lock. */
    private void lateInitialAnswer(CreditSession session, CreditAnswer answer, Throwable failure) {
        if (failure != null || answer.protocolError()) {
            return;
        }
        if (answer.sessionEstablished()) {
            session.open = true; // the OCS keeps a session: it is closed with a CCR-TERMINATION in every case
        }
        if (session.ended) {
            session.close();
            return;
        }
        if (!answer.success()) { // let through under CONTINUE, now refused: the service ends (RFC 4006 §5.7)
            session.releasedFor = TerminationCause.ADMINISTRATIVE; // no more credit granted
            session.release.release(refusal(answer.resultCode()).warning());
            return;
        }
        LOG.info(() -> "Online charging answered late for a call of " + session.facts.subscriber()
                + ": the call is under credit control again");
        session.uncontrolled = false;
        session.granted(answer);
        session.schedule();
    }

    private CreditDecision initialDecision(CreditSession session, CreditAnswer answer, Throwable failure) {
        if (failure != null || answer.protocolError()) {
            String why = failure != null ? String.valueOf(cause(failure)) : "Result-Code " + answer.resultCode();
            if (session.handling == FailureHandling.CONTINUE) {
                warn(() -> "Online charging unreachable for a call of " + session.facts.subscriber() + " (" + why
                        + "): CONTINUE, the call goes on without credit control");
                session.uncontrolled = true;
                return CreditDecision.GRANTED;
            }
            if (cause(failure) instanceof CreditTransport.Saturated) {
                warn(() -> "Online charging saturated: a call of " + session.facts.subscriber() + " refused (" + why
                        + "); the calls up keep their requests");
                return new CreditDecision.Refused(503, SATURATED); // RFC 3261 §21.5.4, with Retry-After
            }
            warn(() -> "Online charging unreachable for a call of " + session.facts.subscriber() + " (" + why
                    + "): " + session.handling + ", the call is refused");
            return new CreditDecision.Refused(503, "online charging system unreachable");
        }
        session.open = answer.sessionEstablished();
        if (!answer.success()) {
            return refusal(answer.resultCode());
        }
        session.granted(answer);
        if (session.grantedSeconds == 0) {
            return refusal(4012);
        }
        return CreditDecision.GRANTED;
    }

    /**
     * Overload control (RFC 7339's principle, RFC 4006 §5.7): while the OCS has no room for a new session, a new call
     * is refused before anything is reserved for it, unless the failure handling is CONTINUE (then it goes on without
     * credit control, as when the OCS answers DIAMETER_TOO_BUSY).
     */
    @Override
    public Optional<String> refusesNewCalls() {
        return settings.failureHandling() != FailureHandling.CONTINUE && transport.saturated() ? Optional.of(SATURATED)
                : Optional.empty();
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** At most one warning per 10 s (an OCS outage would otherwise write one per call), the rest at FINE. */
    private void warn(Supplier<String> message) {
        warnings.warning(message);
    }

    /** RFC 4006 §9.1 result codes as SIP answers. */
    static CreditDecision.Refused refusal(long resultCode) {
        if (resultCode == 4012) {
            return new CreditDecision.Refused(402, "credit limit reached");
        }
        if (resultCode == 4010) {
            return new CreditDecision.Refused(403, "service denied by the online charging system");
        }
        if (resultCode == 5030) {
            return new CreditDecision.Refused(403, "user unknown to the online charging system");
        }
        return new CreditDecision.Refused(403, "refused by the online charging system (" + resultCode + ")");
    }

    @Override
    public void onCallEvent(CallEvent event) {
        CreditSession session = sessions.get(event.call().id());
        if (session == null) {
            return;
        }
        synchronized (session) {
            if (event instanceof CallEvent.Answered answered) {
                session.answeredAt = answered.at(); // granted time counts from the answer
                session.reportedUpTo = answered.at();
                session.schedule();
            } else if (event instanceof CallEvent.Ended ended) {
                session.ended = true;
                session.endedAt = ended.at();
                session.endCause = session.releasedFor != null ? session.releasedFor
                        : TerminationCause.of(ended.end().cause());
                session.cancelTimer();
                if (session.decision.isDone() && !session.updating) {
                    session.close(); // also after CONTINUE mid-call: the OCS may be back to take the used time
                }
                // the CCA-INITIAL or CCA-UPDATE still to come closes it (reserve, update)
            }
        }
    }

    private void update(CreditSession session) {
        CreditRequest request;
        long used;
        synchronized (session) {
            if (session.ended || session.uncontrolled || session.updating) {
                return;
            }
            used = session.usedSeconds(clock.instant());
            request = session.request(CreditRequest.Type.UPDATE, settings.requestedSeconds(), used);
            session.updating = true;
        }
        transport.send(request, session.handling.failsOver()).whenComplete((answer, failure) -> {
            synchronized (session) {
                session.updating = false;
                boolean through = failure == null && !answer.protocolError();
                if (through) {
                    session.reported(used); // the OCS took the used time, even with a refusal of new units
                }
                if (session.ended) {
                    session.close();
                    return;
                }
                if (!through) {
                    if (session.handling == FailureHandling.CONTINUE) {
                        warn(() -> "Online charging lost mid-call for " + session.facts.subscriber()
                                + ": CONTINUE, the call goes on without credit control");
                        session.uncontrolled = true; // the CCR-TERMINATION reports everything since the last report
                        return;
                    }
                    session.releasedFor = TerminationCause.ADMINISTRATIVE; // no more credit granted
                    session.release.release("online charging system unreachable (" + session.handling + ")");
                    return;
                }
                if (!answer.success()) {
                    session.releasedFor = TerminationCause.ADMINISTRATIVE; // no more credit granted
                    session.release.release(refusal(answer.resultCode()).warning());
                    return;
                }
                session.granted(answer);
                if (session.grantedSeconds == 0) { // nothing more granted: released now, not asked again at once
                    session.releasedFor = TerminationCause.ADMINISTRATIVE; // no more credit granted
                    session.release.release(refusal(4012).warning());
                    return;
                }
                session.schedule();
            }
        });
    }

    private void warnFinalUnits(CreditSession session) {
        Duration left;
        synchronized (session) {
            if (session.ended || session.answeredAt == null) {
                return;
            }
            left = Duration.ofSeconds(session.grantedSeconds)
                    .minus(Duration.between(session.reportedUpTo, clock.instant()));
        }
        session.release.warnFinalUnits(left.isNegative() ? Duration.ZERO : left);
    }

    private void finalUnitsUsed(CreditSession session) {
        synchronized (session) {
            if (!session.ended) {
                session.releasedFor = TerminationCause.AUTH_EXPIRED;
                session.release.release("final units used: credit exhausted"); // RFC 4006 §5.6.1
            }
        }
    }

    /** CCR-TERMINATION with the used time (RFC 4006 §5.5); its answer changes nothing. */
    private CompletableFuture<?> terminate(CreditSession session, long usedSeconds) {
        CreditRequest request = session.request(CreditRequest.Type.TERMINATION, 0, usedSeconds);
        return transport.send(request, true).whenComplete((answer, failure) -> {
            if (failure != null || !answer.success()) {
                LOG.log(Level.WARNING, "CCR-TERMINATION of " + session.sessionId + " not acknowledged ("
                        + (failure != null ? failure : "Result-Code " + answer.resultCode()) + "); "
                        + usedSeconds + " s used, also in the offline record");
            }
        });
    }

    @Override
    public CompletionStage<CreditDecision> debit(MessageFacts message) {
        CreditRequest event = new CreditRequest(sessionIds.next("ro-message"), CreditRequest.Type.EVENT, 0,
                clock.instant(), "MESSAGE", message.direction(), message.subscriber(), message.remote(),
                message.provider(), message.icid(), 0, -1, true, null);
        return transport.send(event, settings.failureHandling().failsOver()).handle((answer, failure) -> {
            if (failure != null || answer.protocolError()) {
                return settings.failureHandling() == FailureHandling.CONTINUE ? CreditDecision.GRANTED
                        : new CreditDecision.Refused(503, cause(failure) instanceof CreditTransport.Saturated
                                ? SATURATED : "online charging system unreachable");
            }
            return answer.success() ? CreditDecision.GRANTED : refusal(answer.resultCode());
        });
    }

    /**
     * The gateway stops: every call still under credit control is reported as ended now (its calls cannot outlive
     * the B2BUA), each with a CCR-TERMINATION; completes when the OCS answered them all or gave up.
     */
    public CompletableFuture<Void> close() {
        Instant now = clock.instant();
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (CreditSession session : List.copyOf(sessions.values())) {
            synchronized (session) {
                if (!session.ended) { // a call already ended keeps its end and its cause
                    session.endedAt = now;
                    session.endCause = TerminationCause.ADMINISTRATIVE; // the gateway stops
                }
                session.ended = true;
                session.cancelTimer();
                sessions.remove(session.facts.id(), session);
                if (session.open) {
                    session.open = false;
                    closing.add(terminate(session, session.usedSeconds(session.endedAt))); // a call ended before: its end
                }
                session.decision.complete(new CreditDecision.Refused(503, "gateway shutting down"));
            }
        }
        if (!closing.isEmpty()) {
            LOG.info(() -> closing.size() + " credit-control sessions closed at the stop");
        }
        return CompletableFuture.allOf(closing.stream().map(f -> f.exceptionally(e -> null))
                .toArray(CompletableFuture[]::new));
    }

    /** Credit sessions open now (for the status and the tests). */
    public int openSessions() {
        return sessions.size();
    }
}

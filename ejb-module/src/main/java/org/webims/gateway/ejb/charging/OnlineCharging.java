package org.webims.gateway.ejb.charging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * with the used time however the call ends, also before the answer or before the CCA-INITIAL came. Refusals: 4012 →
 * 402, 4010 and 5030 (and other permanent failures) → 403. An OCS that does not answer within Tx: the session's
 * Credit-Control-Failure-Handling decides (§5.7), the CCA's value overriding the configured one.
 * <p>
 * Nothing here waits: answers arrive on the Diameter thread and are small state changes under the session's lock;
 * timers run on the scheduler; the call is released through call control's {@link CallRelease}.
 */
public final class OnlineCharging implements CreditControl, CallEventListener {
    private static final Logger LOG = Logger.getLogger(OnlineCharging.class.getName());

    /** The knobs: what to ask for, what to do when the OCS is away, how early to ask again. */
    public record Settings(long requestedSeconds, FailureHandling failureHandling, Duration defaultThreshold) {
    }

    private final CreditTransport transport;
    private final SessionIds sessionIds;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Settings settings;
    private final Map<String, CreditSession> sessions = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong lastWarning = new java.util.concurrent.atomic.AtomicLong(
            System.nanoTime() - TimeUnit.MINUTES.toNanos(1));

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
        FailureHandling handling = settings.failureHandling();
        int number;
        /** The OCS granted (CCA-INITIAL came with a success). */
        boolean open;
        /** Credit control gave up for this call (CONTINUE after a failure): no more requests. */
        boolean uncontrolled;
        boolean ended;
        Instant answeredAt;
        /** Used time has been reported up to here (the answer, then each CCR-UPDATE). */
        Instant reportedUpTo;
        long grantedSeconds;
        Long validitySeconds;
        Long thresholdSeconds;
        boolean finalUnits;
        ScheduledFuture<?> timer;

        CreditSession(CallFacts facts, CallRelease release) {
            this.sessionId = sessionIds.next("ro-" + facts.id());
            this.facts = facts;
            this.release = release;
        }

        CreditRequest request(CreditRequest.Type type, long requested, long used) {
            return new CreditRequest(sessionId, type, number++, clock.instant(), "INVITE", facts.direction(),
                    facts.subscriber(), facts.remote(), facts.provider(), facts.icid(), requested, used, false);
        }

        void granted(CreditAnswer answer) {
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
            if (ended || uncontrolled || answeredAt == null || grantedSeconds == Long.MAX_VALUE) {
                return;
            }
            long grantMs = TimeUnit.SECONDS.toMillis(grantedSeconds);
            long sinceReport = Duration.between(reportedUpTo, clock.instant()).toMillis();
            if (finalUnits) {
                long left = Math.max(0, grantMs - sinceReport);
                timer = timers.schedule(() -> finalUnitsUsed(this), left, TimeUnit.MILLISECONDS);
                return;
            }
            long threshold = TimeUnit.SECONDS.toMillis(thresholdSeconds != null ? thresholdSeconds
                    : Math.min(settings.defaultThreshold().toSeconds(), Math.max(1, grantedSeconds / 4)));
            long at = grantMs - threshold;
            if (validitySeconds != null) {
                at = Math.min(at, TimeUnit.SECONDS.toMillis(validitySeconds));
            }
            long wait = Math.max(0, at - sinceReport);
            timer = timers.schedule(() -> update(this), wait, TimeUnit.MILLISECONDS);
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        long usedSeconds(Instant until) {
            if (answeredAt == null) {
                return 0;
            }
            long ms = Duration.between(reportedUpTo, until).toMillis();
            return Math.max(0, (ms + 500) / 1000); // whole seconds, rounded (CC-Time, RFC 4006 §8.21)
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
        return transport.send(initial, session.handling.failsOver()).handle((answer, failure) -> {
            synchronized (session) {
                CreditDecision decision = initialDecision(session, answer, failure);
                if (decision instanceof CreditDecision.Refused) {
                    sessions.remove(call.id(), session);
                    return decision;
                }
                if (session.ended) { // ended before the CCA came: close the credit session at once, nothing used
                    sessions.remove(call.id(), session);
                    if (session.open) {
                        terminate(session, 0);
                    }
                }
                return decision;
            }
        });
    }

    private CreditDecision initialDecision(CreditSession session, CreditAnswer answer, Throwable failure) {
        if (failure != null || answer.protocolError()) {
            String why = failure != null ? String.valueOf(failure.getCause() != null ? failure.getCause() : failure)
                    : "Result-Code " + answer.resultCode();
            if (session.handling == FailureHandling.CONTINUE) {
                warn(() -> "Online charging unreachable for a call of " + session.facts.subscriber() + " (" + why
                        + "): CONTINUE, the call goes on without credit control");
                session.uncontrolled = true;
                return CreditDecision.GRANTED;
            }
            warn(() -> "Online charging unreachable for a call of " + session.facts.subscriber() + " (" + why
                    + "): " + session.handling + ", the call is refused");
            return new CreditDecision.Refused(503, "online charging system unreachable");
        }
        if (!answer.success()) {
            return refusal(answer.resultCode());
        }
        session.granted(answer);
        session.open = true;
        if (session.grantedSeconds == 0) {
            sessions.remove(session.facts.id(), session);
            terminate(session, 0);
            return refusal(4012);
        }
        return CreditDecision.GRANTED;
    }

    /** At most one warning per 10 s (an OCS outage would otherwise write one per call), the rest at FINE. */
    private void warn(java.util.function.Supplier<String> message) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > TimeUnit.SECONDS.toNanos(10) && lastWarning.compareAndSet(last, now)) {
            LOG.warning(message);
        } else {
            LOG.fine(message);
        }
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
                session.cancelTimer();
                if (session.open || session.uncontrolled) {
                    sessions.remove(event.call().id(), session);
                }
                if (session.open) { // also after CONTINUE mid-call: the OCS may be back to take the used time
                    terminate(session, session.usedSeconds(ended.at()));
                }
                // not open yet: the CCA-INITIAL closes it when it comes (reserve)
            }
        }
    }

    private void update(CreditSession session) {
        CreditRequest request;
        Instant now = clock.instant();
        synchronized (session) {
            if (session.ended || session.uncontrolled) {
                return;
            }
            request = session.request(CreditRequest.Type.UPDATE, settings.requestedSeconds(),
                    session.usedSeconds(now));
        }
        transport.send(request, session.handling.failsOver()).whenComplete((answer, failure) -> {
            synchronized (session) {
                if (session.ended) {
                    return;
                }
                if (failure != null || answer.protocolError()) {
                    if (session.handling == FailureHandling.CONTINUE) {
                        warn(() -> "Online charging lost mid-call for " + session.facts.subscriber()
                                + ": CONTINUE, the call goes on without credit control");
                        session.uncontrolled = true; // the CCR-TERMINATION reports everything since the last report
                        return;
                    }
                    session.release.release("online charging system unreachable (" + session.handling + ")");
                    return;
                }
                if (!answer.success()) {
                    session.reportedUpTo = now;
                    session.release.release(refusal(answer.resultCode()).warning());
                    return;
                }
                session.reportedUpTo = now; // used time reported up to the request
                session.granted(answer);
                session.schedule();
            }
        });
    }

    private void finalUnitsUsed(CreditSession session) {
        synchronized (session) {
            if (!session.ended) {
                session.release.release("final units used: credit exhausted"); // RFC 4006 §5.6.1
            }
        }
    }

    /** CCR-TERMINATION with the used time (RFC 4006 §5.5); its answer changes nothing. */
    private void terminate(CreditSession session, long usedSeconds) {
        CreditRequest request = session.request(CreditRequest.Type.TERMINATION, 0, usedSeconds);
        transport.send(request, true).whenComplete((answer, failure) -> {
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
                message.provider(), message.icid(), 0, -1, true);
        return transport.send(event, settings.failureHandling().failsOver()).handle((answer, failure) -> {
            if (failure != null || answer.protocolError()) {
                return settings.failureHandling() == FailureHandling.CONTINUE ? CreditDecision.GRANTED
                        : new CreditDecision.Refused(503, "online charging system unreachable");
            }
            return answer.success() ? CreditDecision.GRANTED : refusal(answer.resultCode());
        });
    }

    /** Credit sessions open now (for the status and the tests). */
    public int openSessions() {
        return sessions.size();
    }
}

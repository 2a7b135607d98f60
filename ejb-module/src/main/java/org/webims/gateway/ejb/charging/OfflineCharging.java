package org.webims.gateway.ejb.charging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.webims.gateway.ports.call.CallEvent;
import org.webims.gateway.ports.call.CallEventListener;
import org.webims.gateway.ports.call.CallFacts;
import org.webims.gateway.ports.call.MediaStream;
import org.webims.gateway.ports.call.MessageFacts;

/**
 * Which offline charging record is due when (TS 32.260 §5.2.2, P-CSCF): START when a call is answered, INTERIM every
 * Acct-Interim-Interval and when its media change (hold, video added or removed, a codec change), STOP when it ends,
 * and an EVENT for a call attempt that failed and for each MESSAGE. Records go to the {@link RecordSink} in order;
 * nothing here waits on anything.
 */
public final class OfflineCharging implements CallEventListener {
    private static final Logger LOG = Logger.getLogger(OfflineCharging.class.getName());
    private final RecordSink sink;
    private final SessionIds sessionIds;
    private final ScheduledExecutorService timers;
    private final Duration interim;
    private final Clock clock;
    /** The accounting session of each answered call, by the gateway's call id, until it ends. */
    private final Map<String, CallSession> sessions = new ConcurrentHashMap<>();

    public OfflineCharging(RecordSink sink, SessionIds sessionIds, ScheduledExecutorService timers, Duration interim,
            Clock clock) {
        this.sink = sink;
        this.sessionIds = sessionIds;
        this.timers = timers;
        this.interim = interim;
        this.clock = clock;
    }

    /** One answered call's accounting session; its records are numbered under its lock. */
    private final class CallSession {
        final String sessionId;
        final CallFacts facts;
        final Instant answeredAt;
        List<MediaStream> webrtc;
        List<MediaStream> ims;
        int next;
        ScheduledFuture<?> timer;
        boolean ended;

        CallSession(CallFacts facts, Instant answeredAt, List<MediaStream> webrtc, List<MediaStream> ims) {
            this.sessionId = sessionIds.next(facts.id());
            this.facts = facts;
            this.answeredAt = answeredAt;
            this.webrtc = webrtc;
            this.ims = ims;
        }

        synchronized void record(AccountingRecordType type, Instant at, Integer cause) {
            if (ended) {
                return;
            }
            ended = type == AccountingRecordType.STOP;
            long announced = type == AccountingRecordType.START ? interim.toSeconds() : 0;
            hand(new AccountingRecord(sessionId, type, next++, at, "INVITE", facts.direction(), facts.subscriber(),
                    facts.remote(), facts.provider(), facts.icid(), facts.startedAt(), answeredAt, webrtc, ims, cause,
                    announced));
        }

        synchronized void media(List<MediaStream> webrtc, List<MediaStream> ims) {
            this.webrtc = webrtc;
            this.ims = ims;
        }
    }

    @Override
    public void onCallEvent(CallEvent event) {
        // nothing is charged before the answer (TS 32.260 §5.2.2.1): Attempted records nothing
        if (event instanceof CallEvent.Answered answered) {
            answered(answered);
        } else if (event instanceof CallEvent.MediaChanged changed) {
            CallSession session = sessions.get(changed.call().id());
            if (session != null) {
                session.media(changed.webrtc(), changed.ims());
                session.record(AccountingRecordType.INTERIM, changed.at(), null);
            }
        } else if (event instanceof CallEvent.Ended ended) {
            ended(ended);
        }
    }

    private void answered(CallEvent.Answered answered) {
        CallSession session = new CallSession(answered.call(), answered.at(), answered.webrtc(), answered.ims());
        if (sessions.putIfAbsent(answered.call().id(), session) != null) {
            return; // answered once only
        }
        session.record(AccountingRecordType.START, answered.at(), null);
        if (!interim.isZero()) {
            session.timer = timers.scheduleAtFixedRate(
                    () -> session.record(AccountingRecordType.INTERIM, clock.instant(), null),
                    interim.toMillis(), interim.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void ended(CallEvent.Ended ended) {
        CallSession session = sessions.remove(ended.call().id());
        int cause = CauseCode.of(ended.end(), session != null);
        if (session != null) {
            if (session.timer != null) {
                session.timer.cancel(false);
            }
            session.record(AccountingRecordType.STOP, ended.at(), cause);
            return;
        }
        if (ended.wasAnswered()) {
            return; // its session was stopped already (close)
        }
        CallFacts facts = ended.call(); // an attempt that failed: one EVENT (TS 32.260 §5.2.2.1)
        hand(new AccountingRecord(sessionIds.next(facts.id()), AccountingRecordType.EVENT, 0, ended.at(), "INVITE",
                facts.direction(), facts.subscriber(), facts.remote(), facts.provider(), facts.icid(),
                facts.startedAt(), null, List.of(), List.of(), cause, 0));
    }

    @Override
    public void onMessage(MessageFacts message) {
        hand(new AccountingRecord(sessionIds.next("message"), AccountingRecordType.EVENT, 0, message.answeredAt(),
                "MESSAGE", message.direction(), message.subscriber(), message.remote(), message.provider(),
                message.icid(), message.sentAt(), message.answeredAt(), List.of(), List.of(),
                CauseCode.ofTransaction(message.status()), 0));
    }

    @Override
    public Optional<String> refusesNewCalls() {
        return sink.backlogged();
    }

    @Override
    public Optional<String> refusesNewRecords() {
        return sink.backlogged();
    }

    /**
     * The gateway stops: calls still up cannot outlive the B2BUA, so each open accounting session gets its STOP now
     * (Cause-Code 1, unspecified error: the call did not end normally), before the outbox stores what it was handed.
     */
    public void close() {
        Instant now = clock.instant();
        int closed = 0;
        for (String id : List.copyOf(sessions.keySet())) {
            CallSession session = sessions.remove(id);
            if (session != null) {
                if (session.timer != null) {
                    session.timer.cancel(false);
                }
                session.record(AccountingRecordType.STOP, now, CauseCode.UNSPECIFIED_ERROR);
                closed++;
            }
        }
        if (closed > 0) {
            int count = closed;
            LOG.info(() -> count + " accounting sessions stopped at the gateway's stop");
        }
    }

    /** Calls with an open accounting session (for the metrics and the tests). */
    public int openSessions() {
        return sessions.size();
    }

    private void hand(AccountingRecord record) {
        if (!sink.offer(record)) { // the sink refuses new calls well before it is full: this is a defect
            LOG.severe(() -> "Charging record LOST, the record queue is full: " + record.type() + " "
                    + record.number() + " of " + record.sessionId());
        }
    }
}

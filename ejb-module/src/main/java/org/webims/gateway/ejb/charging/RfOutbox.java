package org.webims.gateway.ejb.charging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The offline charging outbox: no record is ever lost (TS 32.240 §5.2 requires the CTF to keep what the CDF has not
 * acknowledged). Each record is written to the store before it is sent, marked only once the CDF acknowledged it, sent
 * again with the T flag after a failure or a restart of either side, and the records of one accounting session go
 * one at a time, in order; different sessions go in parallel, at most {@code maxInFlight} at once.
 * <p>
 * One thread ({@link #run}) does all of it; producers only {@link #offer} (never waiting) and answers come back as
 * messages to that thread, so no network or Netty thread ever touches the store. Memory is bounded twice: at most
 * {@code capacity} records wait to be stored (beyond {@code capacity / 2} new calls are refused,
 * {@link #backlogged}), and at most {@code window} stored records are held in memory, the rest read back from the
 * store in order as the window drains (a long CDF outage costs disk, not heap). A quarter of the capacity is kept for
 * STOP records, so that INTERIMs and EVENTs never crowd out the end of a call already up.
 * <p>
 * A CDF that answers with a failure other than a busy or unreachable peer (RFC 6733 §7.1: 3002, 3004) or a transient
 * one, or with no readable Result-Code, is asked again at most {@value #MAX_ANSWERED_FAILURES} times; the record is
 * then REJECTED (kept and shown), so that one bad record never blocks its session's lane for good. A CDF that does not
 * answer at all is asked again for as long as it takes.
 */
public final class RfOutbox implements RecordSink, Runnable {
    private static final Logger LOG = Logger.getLogger(RfOutbox.class.getName());
    private static final Duration STORE_RETRY = Duration.ofSeconds(1);
    private static final Duration IDLE_CHECK = Duration.ofMillis(200);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    /**
     * Under load a turn gathers what arrives within this long of the previous turn: each turn costs a transaction or
     * two whatever it carries, so at most 50 of them a second, each with more records. The price: a record or an
     * answer arriving soon after a turn waits up to this long (an ACA often does, even at low load).
     */
    public static final Duration GATHER = Duration.ofMillis(20);
    static final int MAX_ANSWERED_FAILURES = 10;

    /** The knobs. */
    public record Limits(int capacity, int window, int maxInFlight, Duration minBackoff, Duration maxBackoff,
            Duration retention, Duration gather) {
        public Limits {
            if (capacity < 2 || window < 1 || maxInFlight < 1) {
                throw new IllegalArgumentException("outbox capacity, window and in-flight limit must be positive");
            }
        }
    }

    private final String originHost;
    private final OutboxStore store;
    private final OutboxTransport transport;
    private final Function<AccountingRecord, byte[]> encoder;
    private final Limits limits;
    private final Clock clock;
    private final Semaphore room;
    private final Instant startedAt;
    /** Records from producers and outcomes from the transport: the only way into the loop. */
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean stopped;
    private volatile int held;

    // loop state: only the loop thread touches it
    private final List<AccountingRecord> unsaved = new ArrayList<>();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    private final PriorityQueue<Lane> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.notBefore, b.notBefore));
    private final List<Long> toMark = new ArrayList<>();
    private final List<OutboxStore.Attempt> toNote = new ArrayList<>();
    private int inFlight;
    /** Stored records are (also) in the store only: read them back once the window has drained. */
    private boolean overflow = true; // the records a previous run left pending
    /** Every pending record up to this id is held (or done): a read-back takes only those after it. */
    private long heldUpTo;
    private Instant nextStoreAttempt = Instant.MIN;
    private long lastTurnNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
    private Instant nextPurge = Instant.MIN;

    /** One accounting session's records in the window, oldest first; at most one of them in flight. */
    private static final class Lane {
        final String sessionId;
        final ArrayDeque<OutboxStore.Stored> records = new ArrayDeque<>();
        boolean busy; // in flight or waiting to retry
        long notBefore;
        int failures;
        int answeredFailures; // of the head record, answered by a CDF with a failure

        Lane(String sessionId) {
            this.sessionId = sessionId;
        }
    }

    private record Outcome(Lane lane, OutboxStore.Stored record, OutboxTransport.Delivery delivery) {
    }

    /** {@code originHost}: this node's Diameter identity; only its own records are read back from the store. */
    public RfOutbox(String originHost, OutboxStore store, OutboxTransport transport,
            Function<AccountingRecord, byte[]> encoder, Limits limits, Clock clock) {
        this.originHost = originHost;
        this.store = store;
        this.transport = transport;
        this.encoder = encoder;
        this.limits = limits;
        this.clock = clock;
        this.room = new Semaphore(limits.capacity());
        this.startedAt = clock.instant();
    }

    @Override
    public boolean offer(AccountingRecord record) {
        if (stopped) {
            return false;
        }
        boolean bracket = record.type() == AccountingRecordType.STOP || record.type() == AccountingRecordType.START;
        if (!bracket && room.availablePermits() <= limits.capacity() / 4) {
            return false; // the last quarter is for the STARTs and STOPs of the calls already admitted: never a STOP
                          // without its START nor a session left open (INTERIMs and EVENTs are shed first)
        }
        if (!room.tryAcquire()) {
            return false;
        }
        inbox.add(record);
        if (stopped && inbox.remove(record)) { // the loop finished its last turn meanwhile: say so, never drop silently
            room.release();
            return false;
        }
        return true;
    }

    @Override
    public Optional<String> backlogged() {
        return queued() > limits.capacity() / 2
                ? Optional.of("charging records are waiting to be stored (" + queued() + "); try again later")
                : Optional.empty();
    }

    /** Records handed over and not stored yet. */
    public int queued() {
        return limits.capacity() - room.availablePermits();
    }

    /** Stored records in memory, waiting for or in delivery. */
    public int held() {
        return held;
    }

    public long deliveredCount() {
        return delivered.get();
    }

    public long failedAttempts() {
        return failures.get();
    }

    public long rejectedCount() {
        return rejected.get();
    }

    /** Stops after storing every record handed over (what is stored and unacknowledged goes after the restart). */
    public void stop() {
        stopping = true;
        inbox.add(Wake.INSTANCE);
    }

    private enum Wake { INSTANCE }

    @Override
    public void run() {
        LOG.info("Offline charging outbox running");
        try {
            while (!stopping) {
                try {
                    step(nextWait());
                } catch (RuntimeException e) { // a defect: logged, and the loop goes on (records are in the store)
                    LOG.log(Level.SEVERE, "The offline charging outbox failed a turn", e);
                    Thread.sleep(1000);
                }
            }
            stopped = true; // from now on nothing is taken: store what was handed over, for a few seconds at most
            long deadline = clock.millis() + 5000;
            do {
                nextStoreAttempt = Instant.MIN;
                step(Duration.ZERO);
                if (!unsaved.isEmpty()) {
                    Thread.sleep(200);
                }
            } while ((!inbox.isEmpty() || !unsaved.isEmpty()) && clock.millis() < deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "The offline charging outbox failed while stopping", e);
        } finally {
            stopped = true;
            int lost = unsaved.size() + (int) inbox.stream().filter(AccountingRecord.class::isInstance).count();
            if (lost > 0) {
                LOG.severe(() -> lost + " charging records could not be stored before the stop: LOST");
            }
            LOG.info("Offline charging outbox stopped");
        }
    }

    /** One turn of the loop: take what arrived, store, apply outcomes, send what may go. Package-private for tests. */
    void step(Duration wait) throws InterruptedException {
        Object first = wait.isZero() ? inbox.poll() : inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        List<Object> arrived = new ArrayList<>();
        if (first != null) {
            arrived.add(first); // in hand: stored this turn even if the wait below is interrupted
            long early = limits.gather().toNanos() - (System.nanoTime() - lastTurnNanos);
            if (early > 0 && !stopping) {
                try {
                    TimeUnit.NANOSECONDS.sleep(early);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the loop ends at its next wait, after this turn
                }
            }
            inbox.drainTo(arrived, 999);
        }
        lastTurnNanos = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        for (Object item : arrived) {
            if (item instanceof AccountingRecord record) {
                unsaved.add(record);
            } else if (item instanceof Outcome outcome) {
                outcomes.add(outcome);
            }
        }
        Instant now = clock.instant();
        storeUnsaved(now);
        outcomes.forEach(o -> apply(o, now));
        markDelivered(now);
        noteFailed(now);
        if (!stopping) {
            reload();
            wakeWaiting(now);
            dispatch();
            purge(now);
        }
    }

    private Duration nextWait() {
        if (!unsaved.isEmpty()) {
            return STORE_RETRY;
        }
        if (!ready.isEmpty() || !waiting.isEmpty() || overflow) {
            long untilRetry = waiting.isEmpty() ? IDLE_CHECK.toMillis()
                    : Math.max(1, waiting.peek().notBefore - clock.millis());
            return Duration.ofMillis(Math.min(untilRetry, IDLE_CHECK.toMillis()));
        }
        return Duration.ofSeconds(1);
    }

    private void storeUnsaved(Instant now) {
        if (unsaved.isEmpty() || now.isBefore(nextStoreAttempt)) {
            return;
        }
        List<OutboxStore.NewRecord> encoded = new ArrayList<>(unsaved.size());
        for (AccountingRecord record : List.copyOf(unsaved)) {
            try {
                encoded.add(new OutboxStore.NewRecord(record, encoder.apply(record)));
            } catch (RuntimeException e) { // a defect (a record too large to encode): said loudly, never silently
                LOG.log(Level.SEVERE, "Charging record " + record.type() + " " + record.number() + " of "
                        + record.sessionId() + " cannot be encoded: LOST", e);
                unsaved.remove(record);
                room.release();
            }
        }
        List<OutboxStore.Stored> stored;
        try {
            stored = store.insert(encoded);
        } catch (RuntimeException e) {
            nextStoreAttempt = now.plus(STORE_RETRY);
            LOG.log(Level.WARNING, unsaved.size() + " charging records could not be stored; trying again", e);
            return;
        }
        room.release(unsaved.size());
        unsaved.clear();
        for (OutboxStore.Stored record : stored) {
            if (overflow || held >= limits.window()) {
                overflow = true; // read back from the store, in order, as the window drains
            } else {
                hold(record);
                heldUpTo = Math.max(heldUpTo, record.id());
            }
        }
    }

    private void hold(OutboxStore.Stored record) {
        Lane lane = lanes.computeIfAbsent(record.sessionId(), Lane::new);
        lane.records.add(record);
        held++;
        if (!lane.busy && lane.records.size() == 1) {
            ready.add(lane);
        }
    }

    /**
     * Reads back the oldest records not held, once at least half the window is free: a lane stuck on one record does
     * not keep the others waiting. Only records after {@link #heldUpTo} are read, so a record delivered but not yet
     * marked, or held in a lane, is never read twice.
     */
    private void reload() {
        int free = limits.window() - held;
        if (!overflow || free < Math.max(1, limits.window() / 2)) {
            return;
        }
        List<OutboxStore.Stored> pending;
        try {
            pending = store.pending(originHost, heldUpTo, free, startedAt);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Pending charging records could not be read; trying again", e);
            return;
        }
        overflow = pending.size() >= free;
        pending.forEach(this::hold);
        if (!pending.isEmpty()) {
            heldUpTo = pending.get(pending.size() - 1).id();
        }
        if (!pending.isEmpty()) {
            LOG.info(() -> pending.size() + " pending charging records read back for delivery");
        }
    }

    private void wakeWaiting(Instant now) {
        while (!waiting.isEmpty() && waiting.peek().notBefore <= now.toEpochMilli()) {
            Lane lane = waiting.poll();
            lane.busy = false;
            ready.add(lane);
        }
    }

    private void dispatch() {
        if (ready.isEmpty() || !transport.available()) {
            return;
        }
        while (inFlight < limits.maxInFlight() && !ready.isEmpty()) {
            Lane lane = ready.poll();
            OutboxStore.Stored record = lane.records.peek();
            lane.busy = true;
            inFlight++;
            CompletableFuture<OutboxTransport.Delivery> attempt;
            try {
                attempt = transport.deliver(record.message(), record.retransmission());
            } catch (RuntimeException e) { // a defect of the transport: this attempt failed, the lane goes on
                attempt = CompletableFuture.failedFuture(e);
            }
            attempt.whenComplete((delivery, error) -> inbox.add(new Outcome(lane, record, error == null
                    ? delivery : new OutboxTransport.Delivery(OutboxTransport.Outcome.RETRY, String.valueOf(error)))));
        }
    }

    private void apply(Outcome outcome, Instant now) {
        inFlight--;
        Lane lane = outcome.lane();
        OutboxStore.Stored record = outcome.record();
        switch (outcome.delivery().outcome()) {
            case DELIVERED -> {
                toMark.add(record.id());
                delivered.incrementAndGet();
                next(lane);
            }
            case ANSWERED_FAILURE -> {
                if (++lane.answeredFailures >= MAX_ANSWERED_FAILURES) {
                    reject(lane, record, outcome.delivery().detail() + ", " + MAX_ANSWERED_FAILURES + " times",
                            now);
                } else {
                    retry(lane, record, outcome.delivery().detail(), now);
                }
            }
            case REJECTED -> reject(lane, record, outcome.delivery().detail(), now);
            case RETRY -> retry(lane, record, outcome.delivery().detail(), now);
        }
    }

    private void reject(Lane lane, OutboxStore.Stored record, String why, Instant now) {
        rejected.incrementAndGet();
        LOG.severe(() -> "The CDF refused charging record " + record.number() + " of " + record.sessionId()
                + " for good: " + why + " (kept, state REJECTED)");
        try {
            store.rejected(record.id(), why, now);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not mark charging record " + record.id() + " rejected", e);
        }
        next(lane);
    }

    private void retry(Lane lane, OutboxStore.Stored record, String why, Instant now) {
        failures.incrementAndGet();
        lane.records.poll();
        lane.records.addFirst(new OutboxStore.Stored(record.id(), record.sessionId(), record.number(),
                record.message(), true)); // it may have arrived: the T flag from now on
        lane.failures++;
        long backoff = Math.min(limits.maxBackoff().toMillis(),
                limits.minBackoff().toMillis() << Math.min(20, lane.failures - 1));
        lane.notBefore = now.toEpochMilli() + backoff;
        waiting.add(lane);
        LOG.fine(() -> "Charging record " + record.number() + " of " + record.sessionId() + " not delivered ("
                + why + "); again in " + backoff + " ms");
        toNote.add(new OutboxStore.Attempt(record.id(), why));
    }

    /** The lane's head is done: the next of its records may go, or the lane is gone. */
    private void next(Lane lane) {
        lane.records.poll();
        held--;
        lane.busy = false;
        lane.failures = 0;
        lane.answeredFailures = 0;
        if (lane.records.isEmpty()) {
            lanes.remove(lane.sessionId);
        } else {
            ready.add(lane);
        }
    }

    private void markDelivered(Instant now) {
        if (toMark.isEmpty()) {
            return;
        }
        try {
            store.delivered(List.copyOf(toMark), now);
            toMark.clear();
        } catch (RuntimeException e) {
            // kept and tried again next turn; should the gateway stop first, they go again with the T flag
            LOG.log(Level.WARNING, toMark.size() + " delivered charging records could not be marked yet", e);
        }
    }

    /** The failed attempts of this turn, in one transaction: a CDF gone fails every record in flight at once. */
    private void noteFailed(Instant now) {
        if (toNote.isEmpty()) {
            return;
        }
        try {
            store.failed(List.copyOf(toNote), now);
        } catch (RuntimeException e) { // only a count and a reason for the operator: said, not tried again
            LOG.log(Level.WARNING, toNote.size() + " failed attempts of charging records could not be noted", e);
        }
        toNote.clear();
    }

    private void purge(Instant now) {
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(PURGE_EVERY);
        try {
            int removed = store.purgeDelivered(now.minus(limits.retention()));
            if (removed > 0) {
                LOG.info(() -> removed + " delivered charging records older than " + limits.retention().toDays()
                        + " days removed");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Delivered charging records could not be purged", e);
        }
    }
}

package org.webims.gateway.ejb.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.call.CallDirection;

/** The outbox's rules, with an in-memory store and a transport the test answers by hand. */
class RfOutboxTest {

    /** A store that remembers everything, and can be made to fail. */
    static final class MemoryStore implements OutboxStore {
        final Map<Long, String> state = new LinkedHashMap<>();
        final Map<Long, Stored> rows = new LinkedHashMap<>();
        final Map<Long, Integer> attempts = new LinkedHashMap<>();
        boolean failing;
        boolean failingMarks;
        int failedCalls;
        final List<Integer> inserts = new java.util.concurrent.CopyOnWriteArrayList<>();
        long nextId = 1;

        @Override
        public List<Stored> insert(List<NewRecord> records) {
            if (failing) {
                throw new IllegalStateException("database down");
            }
            inserts.add(records.size());
            List<Stored> stored = new ArrayList<>();
            for (NewRecord r : records) {
                Stored s = new Stored(nextId++, r.record().sessionId(), r.record().number(), r.message(), false);
                rows.put(s.id(), s);
                state.put(s.id(), "PENDING");
                attempts.put(s.id(), 0);
                stored.add(s);
            }
            return stored;
        }

        @Override
        public void delivered(List<Long> ids, Instant at) {
            if (failingMarks) {
                throw new IllegalStateException("database down");
            }
            ids.forEach(id -> state.put(id, "DELIVERED"));
        }

        @Override
        public void failed(List<Attempt> failed, Instant at) {
            failedCalls++;
            failed.forEach(a -> attempts.merge(a.id(), 1, Integer::sum));
        }

        @Override
        public void rejected(long id, String why, Instant at) {
            state.put(id, "REJECTED");
        }

        @Override
        public List<Stored> pending(String originHost, long afterId, int limit, Instant startedAt) {
            return rows.values().stream().filter(s -> s.id() > afterId && state.get(s.id()).equals("PENDING")
                    && s.sessionId().startsWith(originHost + ";"))
                    .limit(limit)
                    .map(s -> new Stored(s.id(), s.sessionId(), s.number(), s.message(), attempts.get(s.id()) > 0))
                    .toList();
        }

        @Override
        public int purgeDelivered(Instant before) {
            return 0;
        }
    }

    /** A transport whose deliveries the test completes; it checks each record was stored before it was sent. */
    static final class HandTransport implements OutboxTransport {
        final MemoryStore store;
        final List<String> sent = new ArrayList<>();
        final List<CompletableFuture<Delivery>> answers = new ArrayList<>();
        boolean up = true;

        HandTransport(MemoryStore store) {
            this.store = store;
        }

        @Override
        public boolean available() {
            return up;
        }

        @Override
        public CompletableFuture<Delivery> deliver(byte[] message, boolean retransmission) {
            String text = new String(message, StandardCharsets.UTF_8);
            assertTrue(store.rows.values().stream().anyMatch(s -> new String(s.message(), StandardCharsets.UTF_8)
                    .equals(text)), "stored before sent: " + text);
            sent.add(text + (retransmission ? " T" : ""));
            CompletableFuture<Delivery> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        void answerAll(Outcome outcome) {
            List<CompletableFuture<Delivery>> now = List.copyOf(answers);
            answers.clear();
            now.forEach(a -> a.complete(new Delivery(outcome, outcome.name())));
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final HandTransport transport = new HandTransport(store);

    private RfOutbox outbox(int capacity, int window) {
        return outbox(capacity, window, transport);
    }

    private RfOutbox outbox(int capacity, int window, OutboxTransport transport) {
        return outbox(capacity, window, transport, Duration.ZERO);
    }

    private RfOutbox outbox(int capacity, int window, OutboxTransport transport, Duration gather) {
        return new RfOutbox("gw", store, transport,
                r -> (r.sessionId().substring(3) + "#" + r.number()).getBytes(StandardCharsets.UTF_8),
                new RfOutbox.Limits(capacity, window, 100, Duration.ofMillis(1), Duration.ofMillis(5),
                        Duration.ofDays(1), gather), Clock.systemUTC());
    }

    private static AccountingRecord record(String session, int number) {
        return new AccountingRecord(session.contains(";") ? session : "gw;" + session, number == 0 ? AccountingRecordType.START : AccountingRecordType.STOP,
                number, Instant.EPOCH, "INVITE", CallDirection.ORIGINATING, "sip:a@x", "sip:b@x", null, "i", Instant.EPOCH,
                null, List.of(), List.of(), null, 0);
    }

    private static AccountingRecord interim(String session, int number) {
        return new AccountingRecord("gw;" + session, AccountingRecordType.INTERIM, number, Instant.EPOCH, "INVITE",
                CallDirection.ORIGINATING, "sip:a@x", "sip:b@x", null, "i", Instant.EPOCH, null, List.of(), List.of(),
                null, 0);
    }

    private static void turns(RfOutbox outbox, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            outbox.step(Duration.ofMillis(5));
        }
    }

    @Test
    void recordsOfOneSessionGoOneAtATimeInOrderAndSessionsInParallel() throws Exception {
        RfOutbox outbox = outbox(100, 100);
        outbox.offer(record("a", 0));
        outbox.offer(record("a", 1));
        outbox.offer(record("b", 0));
        turns(outbox, 1);
        assertEquals(List.of("a#0", "b#0"), transport.sent, "a#1 waits for a#0's answer");
        transport.answerAll(OutboxTransport.Outcome.DELIVERED);
        turns(outbox, 1);
        assertEquals(List.of("a#0", "b#0", "a#1"), transport.sent);
        transport.answerAll(OutboxTransport.Outcome.DELIVERED);
        turns(outbox, 1);
        assertEquals(List.of("DELIVERED", "DELIVERED", "DELIVERED"), List.copyOf(store.state.values()));
        assertEquals(3, outbox.deliveredCount());
        assertEquals(0, outbox.held());
    }

    @Test
    void aFailedRecordGoesAgainWithTheTFlagAndKeepsItsSessionsOrder() throws Exception {
        RfOutbox outbox = outbox(100, 100);
        outbox.offer(record("a", 0));
        outbox.offer(record("a", 1));
        turns(outbox, 1);
        transport.answerAll(OutboxTransport.Outcome.RETRY);
        turns(outbox, 3);
        assertEquals(List.of("a#0", "a#0 T"), transport.sent, "the same record again, flagged; a#1 still waits");
        assertEquals("PENDING", store.state.get(1L));
        assertEquals(1, store.attempts.get(1L), "the failed attempt is noted in the store");
        transport.answerAll(OutboxTransport.Outcome.DELIVERED);
        turns(outbox, 1);
        assertEquals(List.of("a#0", "a#0 T", "a#1"), transport.sent);
    }

    @Test
    void theAttemptsACdfGoneFailsAtOnceAreNotedInOneTransaction() throws Exception {
        RfOutbox outbox = outbox(1000, 1000);
        for (int i = 0; i < 300; i++) {
            outbox.offer(record("s" + i, 0));
        }
        turns(outbox, 1);
        assertEquals(100, transport.sent.size(), "100 in flight");
        transport.answerAll(OutboxTransport.Outcome.RETRY);
        turns(outbox, 1);
        assertEquals(1, store.failedCalls, "one store call for the whole turn, not one per record");
        assertEquals(100, store.attempts.values().stream().filter(n -> n == 1).count());
    }

    @Test
    void underLoadATurnGathersWhatArrivesSoonAfterThePreviousOne() throws Exception {
        RfOutbox outbox = outbox(100, 100, transport, Duration.ofMillis(500)); // long: a loaded machine never misses it
        outbox.offer(record("a", 0));
        turns(outbox, 1);
        outbox.offer(record("b", 0));
        Thread next = new Thread(() -> {
            try {
                outbox.step(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        next.start();
        outbox.offer(record("c", 0)); // while the turn right after the first one waits out the gathering time
        next.join(5000);
        assertEquals(List.of(1, 2), store.inserts, "b and c stored in one transaction");
    }

    @Test
    void nothingIsSentWhileNoPeerIsUpAndEverythingIsKept() throws Exception {
        transport.up = false;
        RfOutbox outbox = outbox(100, 100);
        outbox.offer(record("a", 0));
        turns(outbox, 3);
        assertTrue(transport.sent.isEmpty());
        assertEquals("PENDING", store.state.get(1L), "stored while the CDF is away");
        transport.up = true;
        turns(outbox, 1);
        assertEquals(List.of("a#0"), transport.sent);
    }

    @Test
    void aRejectedRecordIsMarkedAndTheSessionGoesOn() throws Exception {
        RfOutbox outbox = outbox(100, 100);
        outbox.offer(record("a", 0));
        outbox.offer(record("a", 1));
        turns(outbox, 1);
        transport.answerAll(OutboxTransport.Outcome.REJECTED);
        turns(outbox, 1);
        assertEquals("REJECTED", store.state.get(1L));
        assertEquals(List.of("a#0", "a#1"), transport.sent);
        assertEquals(1, outbox.rejectedCount());
    }

    @Test
    void beyondTheWindowRecordsWaitInTheStoreAndAreReadBackInOrder() throws Exception {
        RfOutbox outbox = outbox(100, 2);
        for (int i = 0; i < 5; i++) {
            outbox.offer(record("s" + i, 0));
        }
        turns(outbox, 1);
        assertEquals(5, store.rows.size(), "all stored");
        assertEquals(List.of("s0#0", "s1#0"), transport.sent, "the window held two");
        transport.answerAll(OutboxTransport.Outcome.DELIVERED);
        turns(outbox, 2);
        assertEquals(List.of("s0#0", "s1#0", "s2#0", "s3#0"), transport.sent, "read back from the store, oldest first");
        transport.answerAll(OutboxTransport.Outcome.DELIVERED);
        turns(outbox, 2);
        assertEquals(5, transport.sent.size());
    }

    @Test
    void recordsLeftPendingByAnEarlierRunGoFirstWithTheTFlag() throws Exception {
        store.insert(List.of(new OutboxStore.NewRecord(record("old", 0), "old#0".getBytes(StandardCharsets.UTF_8))));
        store.attempts.put(1L, 1);
        RfOutbox outbox = outbox(100, 100);
        turns(outbox, 1);
        assertEquals(List.of("old#0 T"), transport.sent);
    }

    @Test
    void onlyThisNodesRecordsAreReadBackFromAStoreSharedInACluster() throws Exception {
        store.insert(List.of(new OutboxStore.NewRecord(record("other;x", 0), "x#0".getBytes(StandardCharsets.UTF_8)),
                new OutboxStore.NewRecord(record("mine", 0), "mine#0".getBytes(StandardCharsets.UTF_8))));
        RfOutbox outbox = outbox(100, 100);
        turns(outbox, 1);
        assertEquals(List.of("mine#0"), transport.sent, "the other node's record is the other node's to send");
    }

    @Test
    void whileTheStoreFailsRecordsAreHeldNotSentAndNewCallsAreRefusedPastHalfTheQueue() throws Exception {
        store.failing = true;
        RfOutbox outbox = outbox(4, 100);
        assertTrue(outbox.offer(record("a", 0)));
        assertTrue(outbox.offer(record("b", 0)));
        assertFalse(outbox.backlogged().isPresent(), "two of four: still taking calls");
        assertTrue(outbox.offer(record("c", 0)));
        assertTrue(outbox.backlogged().isPresent(), "past half the queue: new calls refused");
        turns(outbox, 1);
        assertTrue(transport.sent.isEmpty(), "never sent before stored");
        assertFalse(outbox.offer(interim("c", 1)), "the last quarter is kept for STARTs and STOPs: an INTERIM waits");
        assertTrue(outbox.offer(record("a", 1)), "a STOP still gets in (a START would too: never a STOP without it)");
        assertFalse(outbox.offer(record("b", 1)), "full: refused, and said so");
        store.failing = false;
        Thread.sleep(1100); // the store is tried again after a second
        turns(outbox, 1);
        assertEquals(4, store.rows.size());
        assertEquals(0, outbox.queued());
        assertFalse(outbox.backlogged().isPresent());
    }

    @Test
    void aTransportThatThrowsCostsOneAttemptNotTheLane() throws Exception {
        List<String> sent = new ArrayList<>();
        OutboxTransport throwsOnce = new OutboxTransport() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public CompletableFuture<Delivery> deliver(byte[] message, boolean retransmission) {
                sent.add(new String(message, StandardCharsets.UTF_8) + (retransmission ? " T" : ""));
                if (sent.size() == 1) {
                    throw new IllegalStateException("a defect in the transport");
                }
                return CompletableFuture.completedFuture(Delivery.delivered());
            }
        };
        RfOutbox outbox = outbox(100, 100, throwsOnce);
        outbox.offer(record("a", 0));
        outbox.offer(record("a", 1));
        turns(outbox, 6);
        assertEquals(List.of("a#0", "a#0 T", "a#1"), sent);
        assertEquals(List.of("DELIVERED", "DELIVERED"), List.copyOf(store.state.values()));
    }

    @Test
    void aCdfThatKeepsAnsweringAFailureGetsTheRecordRejectedAfterAFewTriesAndTheSessionGoesOn() throws Exception {
        RfOutbox outbox = outbox(100, 100);
        outbox.offer(record("a", 0));
        outbox.offer(record("a", 1));
        for (int i = 0; i < RfOutbox.MAX_ANSWERED_FAILURES; i++) {
            turns(outbox, 3);
            assertEquals(List.of("PENDING", "PENDING"), List.copyOf(store.state.values()), "try " + i);
            transport.answerAll(OutboxTransport.Outcome.ANSWERED_FAILURE);
        }
        turns(outbox, 2);
        assertEquals("REJECTED", store.state.get(1L));
        assertEquals(RfOutbox.MAX_ANSWERED_FAILURES, transport.sent.stream().filter(m -> m.startsWith("a#0")).count());
        assertEquals("a#1", transport.sent.get(transport.sent.size() - 1), "the session's next record goes");
    }

    @Test
    void aStuckSessionDoesNotHoldBackTheRecordsWaitingInTheStore() throws Exception {
        RfOutbox outbox = outbox(100, 2);
        for (String session : List.of("a", "b", "c", "d")) {
            outbox.offer(record(session, 0));
        }
        turns(outbox, 1);
        assertEquals(List.of("a#0", "b#0"), transport.sent);
        transport.answers.get(0).complete(new OutboxTransport.Delivery(OutboxTransport.Outcome.RETRY, "no answer"));
        transport.answers.get(1).complete(OutboxTransport.Delivery.delivered());
        transport.answers.subList(0, 2).clear();
        transport.up = false; // a#0 stays stuck
        turns(outbox, 2);
        transport.up = true;
        turns(outbox, 1);
        assertTrue(transport.sent.contains("c#0"), "c read back while a is stuck: " + transport.sent);
    }

    @Test
    void aRecordDeliveredButNotYetMarkedIsNeverReadBackAndSentAgain() throws Exception {
        RfOutbox outbox = outbox(100, 2);
        for (String session : List.of("a", "b", "c", "d")) {
            outbox.offer(record(session, 0));
        }
        turns(outbox, 1);
        store.failingMarks = true; // the ACAs came, the database cannot note them yet
        transport.answerAll(OutboxTransport.Outcome.DELIVERED);
        turns(outbox, 2);
        assertEquals(List.of("a#0", "b#0", "c#0", "d#0"), transport.sent, "c and d, never a or b again");
        store.failingMarks = false;
        transport.answerAll(OutboxTransport.Outcome.DELIVERED);
        turns(outbox, 2);
        assertEquals(List.of("DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED"), List.copyOf(store.state.values()));
    }

    @Test
    void stopStoresEverythingHandedOver() throws Exception {
        RfOutbox outbox = outbox(100, 100);
        Thread loop = new Thread(outbox);
        loop.start();
        for (int i = 0; i < 10; i++) {
            outbox.offer(record("s" + i, 0));
        }
        outbox.stop();
        loop.join(10_000);
        assertFalse(loop.isAlive());
        assertEquals(10, store.rows.size());
        assertFalse(outbox.offer(record("late", 0)), "nothing is taken once stopped");
    }
}

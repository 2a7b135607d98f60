package org.webims.gateway.sip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedSerialExecutorTest {

    /** Runs tasks only when the test says so. */
    static final class ManualExecutor implements java.util.concurrent.Executor {
        final Queue<Runnable> pending = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            pending.add(task);
        }

        void runAll() {
            while (!pending.isEmpty()) {
                pending.poll().run();
            }
        }
    }

    @Test
    void tasksOfOneKeyRunInOrderAsOneDrain() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            serial.execute("call-1", () -> order.add(n));
        }
        assertEquals(1, executor.pending.size(), "one drain task per key");
        executor.runAll();
        assertEquals(List.of(0, 1, 2, 3, 4), order);
        assertEquals(0, serial.activeKeys());
    }

    @Test
    void differentKeysGetTheirOwnDrains() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor);
        serial.execute("call-1", () -> { });
        serial.execute("call-2", () -> { });
        assertEquals(2, executor.pending.size());
    }

    @Test
    void aFailingTaskDoesNotStopTheQueue() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor);
        AtomicInteger ran = new AtomicInteger();
        serial.execute("k", () -> {
            throw new IllegalStateException("boom");
        });
        serial.execute("k", ran::incrementAndGet);
        executor.runAll();
        assertEquals(1, ran.get());
    }

    @Test
    void anErrorInATaskIsRethrownAndTheKeysLaterWorkStillRuns() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor);
        AtomicInteger ran = new AtomicInteger();
        serial.execute("k", () -> {
            throw new StackOverflowError("deep");
        });
        serial.execute("k", ran::incrementAndGet);
        Runnable drain = executor.pending.poll();
        org.junit.jupiter.api.Assertions.assertThrows(StackOverflowError.class, drain::run,
                "the executor's thread sees the error");
        executor.runAll();
        assertEquals(1, ran.get(), "the next task of the key ran on a new drain");
        assertEquals(0, serial.activeKeys());
        serial.execute("k", ran::incrementAndGet);
        executor.runAll();
        assertEquals(2, ran.get(), "and the key is usable again");
    }

    @Test
    void underContentionNoTaskIsLostOrReordered() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ExecutorService producers = Executors.newFixedThreadPool(KEYS);
        try {
            submitFromOneProducerPerKeyAndCheckOrder(producers, new KeyedSerialExecutor(pool), false);
        } finally {
            producers.shutdown();
            pool.shutdownNow();
        }
    }

    private static final int KEYS = 8;
    private static final int PER_KEY = 2_000;

    /**
     * Submits {@link #PER_KEY} tasks for each of {@link #KEYS} keys, each key's from one task of {@code producers},
     * and checks that none is lost or reordered; returns how many ran on the thread that submitted them.
     */
    private static int submitFromOneProducerPerKeyAndCheckOrder(java.util.concurrent.Executor producers,
            KeyedSerialExecutor serial, boolean continuations) throws InterruptedException {
        List<List<Integer>> seen = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            seen.add(new ArrayList<>());
        }
        CountDownLatch done = new CountDownLatch(KEYS * PER_KEY);
        AtomicInteger onProducer = new AtomicInteger();
        for (int k = 0; k < KEYS; k++) {
            int key = k;
            producers.execute(() -> {
                Thread producer = Thread.currentThread();
                for (int i = 0; i < PER_KEY; i++) {
                    int n = i;
                    Runnable task = () -> {
                        seen.get(key).add(n); // unsynchronised on purpose: serialisation must protect it
                        if (Thread.currentThread() == producer) {
                            onProducer.incrementAndGet();
                        }
                        done.countDown();
                    };
                    if (continuations) {
                        serial.continueWith(key, task);
                    } else {
                        serial.execute(key, task);
                    }
                }
            });
        }
        assertTrue(done.await(20, TimeUnit.SECONDS), "all tasks ran");
        for (List<Integer> list : seen) {
            assertEquals(PER_KEY, list.size());
            for (int i = 0; i < PER_KEY; i++) {
                assertEquals(i, list.get(i));
            }
        }
        return onProducer.get();
    }

    @Test
    void anIdleKeysWorkRunsOnTheWorkerThatAsksForIt() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, WorkQueueDelay.off(), () -> true);
        List<String> order = new ArrayList<>();
        serial.continueWith("call-1", () -> order.add("answer"));
        assertEquals(List.of("answer"), order, "ran at once, on this thread");
        assertEquals(0, executor.pending.size(), "no hand-off");
        assertEquals(0, serial.activeKeys());
    }

    @Test
    void onlyAContinuationRunsOnTheWorkerThatAsksForIt() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, WorkQueueDelay.off(), () -> true);
        AtomicInteger ran = new AtomicInteger();
        serial.execute("call-1", ran::incrementAndGet); // e.g. a flow closed by a task of no call: each call on its own
        assertEquals(0, ran.get(), "handed on");
        assertEquals(1, executor.pending.size());
    }

    @Test
    void aThreadOutsideTheExecutorHandsOn() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, WorkQueueDelay.off(), () -> false);
        AtomicInteger ran = new AtomicInteger();
        serial.continueWith("call-1", ran::incrementAndGet);
        assertEquals(0, ran.get(), "a SIP stack or WebSocket thread never runs a call's work");
        executor.runAll();
        assertEquals(1, ran.get());
    }

    @Test
    void aWorkerRunningOneKeysWorkHandsAnotherKeysWorkOn() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, WorkQueueDelay.off(), () -> true);
        List<String> order = new ArrayList<>();
        serial.continueWith("call-1", () -> {
            serial.continueWith("call-2", () -> order.add("call-2"));
            serial.continueWith("call-1", () -> order.add("call-1 next"));
            order.add("call-1 first");
        });
        assertEquals(List.of("call-1 first", "call-1 next"), order,
                "the key's own next step after the current one; the other key not nested inside it");
        assertEquals(1, executor.pending.size(), "call-2 was handed to the executor");
        executor.runAll();
        assertEquals(List.of("call-1 first", "call-1 next", "call-2"), order);
        assertEquals(0, serial.activeKeys());
    }

    @Test
    void aKeyWithWorkQueuedIsNotOvertakenByAWorker() {
        ManualExecutor executor = new ManualExecutor();
        boolean[] onWorker = {false};
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, WorkQueueDelay.off(), () -> onWorker[0]);
        List<String> order = new ArrayList<>();
        serial.execute("call-1", () -> order.add("INVITE")); // from the stack: queued
        onWorker[0] = true;
        serial.continueWith("call-1", () -> order.add("offer answered")); // from a worker: behind it
        assertEquals(List.of(), order);
        executor.runAll();
        assertEquals(List.of("INVITE", "offer answered"), order);
    }

    /** Refuses every task while {@code full}, as a pool whose bounded queue is full; queues them otherwise. */
    static final class BoundedExecutor implements java.util.concurrent.Executor {
        final ManualExecutor accepting = new ManualExecutor();
        boolean full = true;
        int refused;

        @Override
        public void execute(Runnable task) {
            if (full) {
                refused++;
                throw new java.util.concurrent.RejectedExecutionException("queue full");
            }
            accepting.execute(task);
        }
    }

    @Test
    void aTurnTheExecutorRefusesIsParkedAndTakenByTheNextWorkerToEndATurn() {
        BoundedExecutor executor = new BoundedExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor);
        List<String> order = new ArrayList<>();
        serial.execute("call-1", () -> order.add("BYE")); // accepted work: never refused, never dropped
        serial.execute("call-1", () -> order.add("its timer"));
        assertTrue(serial.full(), "whoever decides about new work learns the executor is full");
        assertEquals(List.of(), order);
        assertEquals(2, executor.refused, "the turn, and the second ask made after parking it");

        executor.full = false;
        serial.execute("call-2", () -> order.add("call-2"));
        executor.accepting.runAll();
        assertEquals(List.of("call-2", "BYE", "its timer"), order, "the worker that ended call-2's turn took call-1");
        assertFalse(serial.full());
        assertEquals(0, serial.activeKeys());
    }

    @Test
    void crowdedOnceAsManyKeysAreParkedAsTheLimitAndKeysWithWorkAreKnown() {
        BoundedExecutor executor = new BoundedExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, WorkQueueDelay.off(), () -> false, 2);
        serial.execute("call-1", () -> { });
        assertTrue(serial.full());
        assertFalse(serial.crowded(), "one key parked of two");
        assertTrue(serial.hasWork("call-1"));
        assertFalse(serial.hasWork("call-2"));
        serial.execute("call-1", () -> { });
        assertFalse(serial.crowded(), "more work of a parked key parks no other key");
        assertTrue(serial.hasMoreThan("call-1", 1));
        assertFalse(serial.hasMoreThan("call-1", 2), "two tasks, not more");
        assertFalse(serial.hasMoreThan("call-2", 0));
        serial.execute("call-2", () -> { });
        assertTrue(serial.crowded(), "two keys parked: whoever hands work here refuses strangers");

        executor.full = false;
        serial.execute("call-3", () -> { });
        executor.accepting.runAll();
        assertFalse(serial.crowded());
        assertFalse(serial.hasWork("call-1"));
    }

    @Test
    void aKeyParkedWhenTheLastBusyWorkerEndedIsTakenByTheSecondAsk() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        ManualExecutor accepting = new ManualExecutor();
        // the first ask is refused (full); by the second every worker has ended its turn and the queue is empty
        java.util.concurrent.Executor executor = task -> {
            if (calls.incrementAndGet() == 1) {
                throw new java.util.concurrent.RejectedExecutionException("queue full");
            }
            accepting.execute(task);
        };
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor);
        AtomicInteger ran = new AtomicInteger();
        serial.execute("call-1", ran::incrementAndGet);
        assertEquals(1, accepting.pending.size(), "a task that takes the parked keys was queued");
        accepting.runAll();
        assertEquals(1, ran.get());
        assertFalse(serial.full());
    }

    /**
     * A worker takes a parked key and the executor refuses its turn; before the key is back among the parked, the
     * other workers empty the queue (their own looks found no parked key) and go idle. The worker must ask once more
     * after putting the key back, or the key's accepted work (a call's BYE) waits for a task that never comes.
     */
    @Test
    void aParkedKeyPutBackAfterTheOtherWorkersWentIdleIsTakenByTheSecondAsk() {
        ManualExecutor accepting = new ManualExecutor();
        boolean[] full = {false};
        Runnable[] whileRefusing = {() -> { }};
        java.util.concurrent.Executor executor = task -> {
            if (full[0]) {
                Runnable others = whileRefusing[0];
                whileRefusing[0] = () -> { };
                others.run();
                throw new java.util.concurrent.RejectedExecutionException("queue full");
            }
            accepting.execute(task);
        };
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor);
        AtomicInteger ran = new AtomicInteger();
        serial.unkeyed().execute(() -> { }); // a task in the queue: its worker takes the parked keys after it
        Runnable queuedTask = accepting.pending.poll();
        full[0] = true;
        serial.execute("call-1", ran::incrementAndGet); // parked: both asks refused
        assertTrue(serial.full());

        whileRefusing[0] = () -> full[0] = false; // the others drain the queue while this worker's turn is refused
        queuedTask.run();
        accepting.runAll();
        assertEquals(1, ran.get(), "the key's work ran");
        assertFalse(serial.full(), "no key left parked");
    }

    @Test
    void workOfNoKeyTakesParkedKeysAfterItAndIsMeasured() {
        BoundedExecutor executor = new BoundedExecutor();
        long[] clock = {0};
        WorkQueueDelay delay = new WorkQueueDelay(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50),
                () -> clock[0]);
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, delay, () -> false);
        AtomicInteger ran = new AtomicInteger();
        serial.execute("call-1", ran::incrementAndGet);
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.RejectedExecutionException.class,
                () -> serial.unkeyed().execute(() -> { }), "work of no key is refused when full: its caller decides");
        assertEquals(1, delay.waiting(), "the parked turn waits; the refused task does not count");
        executor.full = false;
        serial.unkeyed().execute(ran::incrementAndGet);
        assertEquals(2, delay.waiting(), "an accepted task of no key waits as a turn does");
        executor.accepting.runAll();
        assertEquals(2, ran.get(), "the task, then the parked key's work");
        assertEquals(0, delay.waiting());
        assertFalse(serial.full());
    }

    @Test
    void aPoolWithAQueueOfOneLosesAndReordersNothing() throws Exception {
        ExecutorService producers = Executors.newFixedThreadPool(KEYS);
        try (WorkerPool pool = WorkerPool.start(Executors.defaultThreadFactory(), "w", 2, 1)) {
            KeyedSerialExecutor serial = KeyedSerialExecutor.on(pool, WorkQueueDelay.off());
            // eight producers outside the pool against two workers and one place in the queue: most turns are parked
            submitFromOneProducerPerKeyAndCheckOrder(producers, serial, false);
            assertFalse(serial.full(), "every parked key was taken");
        } finally {
            producers.shutdown();
        }
    }

    @Test
    void continuationsOnWorkerThreadsKeepEachKeysOrder() throws Exception {
        try (WorkerPool pool = WorkerPool.start(Executors.defaultThreadFactory(), "w", 4, 100_000)) {
            // each producer is a completion on a worker thread, as rtpengine's replies arrive
            int inline = submitFromOneProducerPerKeyAndCheckOrder(pool, KeyedSerialExecutor.on(pool,
                    WorkQueueDelay.off()), true);
            // each key has one producer, busy submitting until its last task: handed on, a task could run on the
            // producer's thread only after the producer is done
            assertEquals(KEYS * PER_KEY, inline, "every task ran on the worker that asked for it, none handed on");
        }
    }
}

package org.webims.gateway.sip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        try {
            KeyedSerialExecutor serial = new KeyedSerialExecutor(pool);
            int keys = 8;
            int perKey = 2_000;
            List<List<Integer>> seen = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                seen.add(new ArrayList<>());
            }
            CountDownLatch done = new CountDownLatch(keys * perKey);
            ExecutorService producers = Executors.newFixedThreadPool(keys);
            for (int k = 0; k < keys; k++) {
                int key = k;
                producers.execute(() -> {
                    for (int i = 0; i < perKey; i++) {
                        int n = i;
                        serial.execute(key, () -> {
                            seen.get(key).add(n); // unsynchronised on purpose: serialisation must protect it
                            done.countDown();
                        });
                    }
                });
            }
            assertTrue(done.await(20, TimeUnit.SECONDS), "all tasks ran");
            producers.shutdown();
            for (List<Integer> list : seen) {
                assertEquals(perKey, list.size());
                for (int i = 0; i < perKey; i++) {
                    assertEquals(i, list.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anIdleKeysWorkRunsOnTheWorkerThatAsksForIt() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, WorkQueueDelay.off(), () -> true);
        List<String> order = new ArrayList<>();
        serial.execute("call-1", () -> order.add("answer"));
        assertEquals(List.of("answer"), order, "ran at once, on this thread");
        assertEquals(0, executor.pending.size(), "no hand-off");
        assertEquals(0, serial.activeKeys());
    }

    @Test
    void aThreadOutsideTheExecutorHandsOn() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, WorkQueueDelay.off(), () -> false);
        AtomicInteger ran = new AtomicInteger();
        serial.execute("call-1", ran::incrementAndGet);
        assertEquals(0, ran.get(), "a SIP stack or WebSocket thread never runs a call's work");
        executor.runAll();
        assertEquals(1, ran.get());
    }

    @Test
    void aWorkerRunningOneKeysWorkHandsAnotherKeysWorkOn() {
        ManualExecutor executor = new ManualExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, WorkQueueDelay.off(), () -> true);
        List<String> order = new ArrayList<>();
        serial.execute("call-1", () -> {
            serial.execute("call-2", () -> order.add("call-2"));
            serial.execute("call-1", () -> order.add("call-1 next"));
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
        serial.execute("call-1", () -> order.add("offer answered")); // from a worker: behind it
        assertEquals(List.of(), order);
        executor.runAll();
        assertEquals(List.of("INVITE", "offer answered"), order);
    }

    @Test
    void aRefusedDrainDropsTheKeysWorkAndLeavesTheKeyUsable() {
        boolean[] full = {true};
        ManualExecutor accepting = new ManualExecutor();
        java.util.concurrent.Executor executor = task -> {
            if (full[0]) {
                throw new java.util.concurrent.RejectedExecutionException("queue full");
            }
            accepting.execute(task);
        };
        KeyedSerialExecutor serial = new KeyedSerialExecutor(executor);
        AtomicInteger ran = new AtomicInteger();
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.RejectedExecutionException.class,
                () -> serial.execute("call-1", ran::incrementAndGet), "the caller learns the work was refused");
        assertEquals(0, serial.activeKeys(), "nothing left queued behind a drain that will never run");
        full[0] = false;
        serial.execute("call-1", ran::incrementAndGet);
        accepting.runAll();
        assertEquals(1, ran.get(), "the key's later work runs");
    }

    @Test
    void continuationsOnWorkerThreadsKeepEachKeysOrder() throws Exception {
        try (WorkerPool pool = WorkerPool.start(Executors.defaultThreadFactory(), "w", 4, 100_000)) {
            KeyedSerialExecutor serial = KeyedSerialExecutor.on(pool, WorkQueueDelay.off());
            int keys = 8;
            int perKey = 2_000;
            List<List<Integer>> seen = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                seen.add(new ArrayList<>());
            }
            CountDownLatch done = new CountDownLatch(keys * perKey);
            AtomicInteger inline = new AtomicInteger();
            for (int k = 0; k < keys; k++) {
                int key = k;
                pool.execute(() -> { // a completion on a worker thread, as rtpengine's replies arrive
                    Thread producer = Thread.currentThread();
                    for (int i = 0; i < perKey; i++) {
                        int n = i;
                        serial.execute(key, () -> {
                            seen.get(key).add(n); // unsynchronised on purpose: serialisation must protect it
                            if (Thread.currentThread() == producer) {
                                inline.incrementAndGet();
                            }
                            done.countDown();
                        });
                    }
                });
            }
            assertTrue(done.await(20, TimeUnit.SECONDS), "all tasks ran");
            for (List<Integer> list : seen) {
                assertEquals(perKey, list.size());
                for (int i = 0; i < perKey; i++) {
                    assertEquals(i, list.get(i));
                }
            }
            assertTrue(inline.get() > 0, "some work ran on the thread that asked for it");
        }
    }
}

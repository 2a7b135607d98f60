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
}

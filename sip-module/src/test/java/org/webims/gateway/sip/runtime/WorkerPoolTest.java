package org.webims.gateway.sip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void knowsItsOwnThreadsAndNamesThem() throws Exception {
        try (WorkerPool pool = WorkerPool.start(Executors.defaultThreadFactory(), "sip-worker", 2, 10)) {
            assertFalse(pool.ownsCurrentThread(), "the test's thread is not the pool's");
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(
                    () -> pool.ownsCurrentThread() + " " + Thread.currentThread().getName(), pool);
            assertTrue(seen.get(5, TimeUnit.SECONDS).matches("true sip-worker-[12]"), seen.get());
            try (WorkerPool other = WorkerPool.start(Executors.defaultThreadFactory(), "other", 1, 10)) {
                assertEquals(Boolean.FALSE, CompletableFuture.supplyAsync(pool::ownsCurrentThread, other)
                        .get(5, TimeUnit.SECONDS), "another pool's thread is not this pool's");
            }
        }
    }

    @Test
    void aFullQueueRefusesWork() throws Exception {
        try (WorkerPool pool = WorkerPool.start(Executors.defaultThreadFactory(), "sip-worker", 1, 2)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch busy = new CountDownLatch(1);
            pool.execute(() -> {
                busy.countDown();
                await(release);
            });
            busy.await();
            pool.execute(() -> { });
            pool.execute(() -> { });
            assertEquals(2, pool.queued());
            assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }), "bounded");
            release.countDown();
        }
    }

    @Test
    void closingStopsTheThreads() throws Exception {
        WorkerPool pool = WorkerPool.start(Executors.defaultThreadFactory(), "sip-worker", 2, 10);
        pool.close();
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.webims.gateway.sip.runtime;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks with the same key one after another, in submission order, and tasks with different keys in parallel
 * on a shared executor. The key is the Call-ID: requests and responses of one dialog are handled in order, different
 * calls in parallel, and no SIP stack or WebSocket thread ever waits for application work.
 */
public final class KeyedSerialExecutor {
    private static final Logger LOG = Logger.getLogger(KeyedSerialExecutor.class.getName());

    private final Executor executor;
    private final WorkQueueDelay delay;
    private final Map<Object, Queue<Runnable>> queues = new ConcurrentHashMap<>();

    public KeyedSerialExecutor(Executor executor) {
        this(executor, WorkQueueDelay.off());
    }

    /** @param delay told how long each key's turn waited for a thread of {@code executor} */
    public KeyedSerialExecutor(Executor executor, WorkQueueDelay delay) {
        this.executor = executor;
        this.delay = delay;
    }

    public void execute(Object key, Runnable task) {
        boolean[] first = {false};
        queues.compute(key, (k, queue) -> {
            if (queue == null) {
                queue = new ConcurrentLinkedQueue<>();
                first[0] = true;
            }
            queue.add(task);
            return queue;
        });
        if (first[0]) {
            schedule(key);
        }
    }

    private void schedule(Object key) {
        long submitted = delay.submitted();
        try {
            executor.execute(() -> {
                delay.started(submitted);
                drain(key);
            });
        } catch (RuntimeException | Error rejected) {
            delay.withdrawn();
            throw rejected;
        }
    }

    /** Number of keys with work queued or running. */
    public int activeKeys() {
        return queues.size();
    }

    private void drain(Object key) {
        while (true) {
            Runnable next = queues.get(key).peek();
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Unexpected failure handling work for " + key, e);
            } catch (Error e) {
                // The key's queue must go on (or be removed) even so, or no later work of this call would ever run.
                LOG.log(Level.SEVERE, "Error handling work for " + key, e);
                if (!finished(key)) {
                    schedule(key);
                }
                throw e;
            }
            if (finished(key)) {
                return;
            }
        }
    }

    /** Removes the task just run; true when it was the key's last (the key is then gone). */
    private boolean finished(Object key) {
        boolean[] done = {false};
        queues.computeIfPresent(key, (k, queue) -> {
            queue.poll();
            if (queue.isEmpty()) {
                done[0] = true;
                return null;
            }
            return queue;
        });
        return done[0];
    }
}

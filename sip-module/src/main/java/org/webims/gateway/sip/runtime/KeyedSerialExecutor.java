package org.webims.gateway.sip.runtime;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks with the same key one after another, in submission order, and tasks with different keys in parallel
 * on a shared executor. The key is the Call-ID: requests and responses of one dialog are handled in order, different
 * calls in parallel, and no SIP stack or WebSocket thread ever waits for application work.
 *
 * <p>A key's first task runs at once on the calling thread when that thread is one of the executor's own and is not
 * already running a key's work (an rtpengine answer completed on a worker thread, whose continuation only queues the
 * call's next step; policy answers complete inside the asking drain, credit answers on Diameter's threads): the hand-off to another worker would cost more than the step (issue 14). SIP
 * stack, WebSocket and timer threads always hand on.
 */
public final class KeyedSerialExecutor {
    private static final Logger LOG = Logger.getLogger(KeyedSerialExecutor.class.getName());

    private final Executor executor;
    private final WorkQueueDelay delay;
    private final BooleanSupplier onWorker;
    private final Map<Object, Queue<Runnable>> queues = new ConcurrentHashMap<>();
    /** Set while this thread runs a key's work. */
    private final ThreadLocal<Boolean> draining = new ThreadLocal<>();

    public KeyedSerialExecutor(Executor executor) {
        this(executor, WorkQueueDelay.off(), () -> false);
    }

    /**
     * @param delay told how long each key's turn waited for a thread of {@code executor}
     * @param onWorker whether the calling thread is one of {@code executor}'s own (it may then run an idle key's work)
     */
    public KeyedSerialExecutor(Executor executor, WorkQueueDelay delay, BooleanSupplier onWorker) {
        this.executor = executor;
        this.delay = delay;
        this.onWorker = onWorker;
    }

    /** On the pool's threads when they are free, as {@link KeyedSerialExecutor} explains. */
    public static KeyedSerialExecutor on(WorkerPool pool, WorkQueueDelay delay) {
        return new KeyedSerialExecutor(pool, delay, pool::ownsCurrentThread);
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
        if (!first[0]) {
            return;
        }
        if (draining.get() == null && onWorker.getAsBoolean()) {
            drain(key);
        } else {
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
        } catch (RejectedExecutionException rejected) {
            // the executor's queue is full or it stops: the key's work is dropped, not left queued behind a drain
            // that will never run (every later task of the key would wait behind it)
            delay.withdrawn();
            Queue<Runnable> dropped = queues.remove(key);
            LOG.warning(() -> "Work for " + key + " refused by the executor (" + rejected.getMessage() + "): "
                    + (dropped == null ? 0 : dropped.size()) + " task(s) dropped");
            throw rejected;
        } catch (RuntimeException | Error failed) {
            delay.withdrawn();
            throw failed;
        }
    }

    /** Number of keys with work queued or running. */
    public int activeKeys() {
        return queues.size();
    }

    private void drain(Object key) {
        draining.set(Boolean.TRUE);
        try {
            drainQueue(key);
        } finally {
            draining.remove();
        }
    }

    private void drainQueue(Object key) {
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

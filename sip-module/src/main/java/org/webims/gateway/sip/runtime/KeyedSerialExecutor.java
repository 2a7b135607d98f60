package org.webims.gateway.sip.runtime;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.webims.gateway.sip.logging.PeriodicCountLog;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks with the same key one after another, in submission order, and tasks with different keys in parallel
 * on a shared executor. The key is the Call-ID: requests and responses of one dialog are handled in order, different
 * calls in parallel, and no SIP stack or WebSocket thread ever waits for application work.
 *
 * <p>Work given here is accepted work (a request the door let in, a response, a timer of a call): it is never refused.
 * When the executor refuses a key's turn (its bounded queue is full), the key is <em>parked</em>, its tasks kept, and
 * the next worker to finish a turn takes the parked keys first; {@link #full()} says so meanwhile, for whoever decides
 * about new work. Once as many keys are parked as the executor's queue holds, {@link #crowded()} says so too: whoever
 * hands work here then turns away work of a key that has none queued and belongs to no call it knows (a late request
 * of an ended call, a forged one), and, while full, more work of a key that has many tasks already
 * ({@link #hasMoreThan}), so that the parked keys stay near the calls and transactions in flight plus that limit, each
 * with a bounded backlog (the checks and the hand-over are not atomic: concurrent threads may overshoot by a few).
 *
 * <p>{@link #continueWith} lets the step that follows an rtpengine answer run on the worker that completed the
 * answer, when the call has nothing else queued: the hand-off to another worker would cost more than the step
 * (issue 14). Every other submission, and every one from SIP stack, WebSocket and timer threads, hands on.
 */
public final class KeyedSerialExecutor {
    private static final Logger LOG = Logger.getLogger(KeyedSerialExecutor.class.getName());

    private final Executor executor;
    private final WorkQueueDelay delay;
    private final BooleanSupplier onWorker;
    /** Parked keys from which on {@link #crowded()} holds. */
    private final int parkedLimit;
    private final Map<Object, Queue<Runnable>> queues = new ConcurrentHashMap<>();
    /** Keys whose turn the executor refused, with when they were submitted: taken by the next free worker. */
    private final java.util.Deque<Parked> parked = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final AtomicInteger parkedCount = new AtomicInteger();
    private final PeriodicCountLog parkings = new PeriodicCountLog(LOG, java.time.Duration.ofSeconds(10));
    /** Set while this thread runs a key's work. */
    private final ThreadLocal<Boolean> draining = new ThreadLocal<>();

    private record Parked(Object key, long submitted) {
    }

    public KeyedSerialExecutor(Executor executor) {
        this(executor, WorkQueueDelay.off(), () -> false, Integer.MAX_VALUE);
    }

    /**
     * @param delay told how long each key's turn waited for a thread of {@code executor}
     * @param onWorker whether the calling thread is one of {@code executor}'s own (it may then run an idle key's
     *                 continuation, {@link #continueWith})
     */
    public KeyedSerialExecutor(Executor executor, WorkQueueDelay delay, BooleanSupplier onWorker) {
        this(executor, delay, onWorker, Integer.MAX_VALUE);
    }

    /** As above; {@code parkedLimit}: the parked keys from which on {@link #crowded()} holds. */
    public KeyedSerialExecutor(Executor executor, WorkQueueDelay delay, BooleanSupplier onWorker, int parkedLimit) {
        if (parkedLimit < 1) {
            throw new IllegalArgumentException("parked limit " + parkedLimit);
        }
        this.executor = executor;
        this.delay = delay;
        this.onWorker = onWorker;
        this.parkedLimit = parkedLimit;
    }

    /** On the pool's threads, as {@link KeyedSerialExecutor} explains. */
    public static KeyedSerialExecutor on(WorkerPool pool, WorkQueueDelay delay) {
        KeyedSerialExecutor work = new KeyedSerialExecutor(pool, delay, pool::ownsCurrentThread, pool.capacity());
        pool.afterEachTask(work::takeParked); // any task's end, not only a turn's, frees a worker for a parked key
        return work;
    }

    /** Queues {@code task} behind the key's earlier work; it runs on a thread of the executor. Never refused. */
    public void execute(Object key, Runnable task) {
        if (enqueue(key, task)) {
            schedule(key);
        }
    }

    /**
     * As {@link #execute}, for the step that follows an answer completed on a worker thread (rtpengine's): when the
     * calling thread is one of the executor's, runs no key's work already and the key has nothing queued, the task
     * runs here and now, with no hand-off.
     */
    public void continueWith(Object key, Runnable task) {
        if (!enqueue(key, task)) {
            return;
        }
        if (draining.get() == null && onWorker.getAsBoolean()) {
            drain(key);
        } else {
            schedule(key);
        }
    }

    /** Adds the task to its key's queue; true when the key was idle (the caller then gives it a turn). */
    private boolean enqueue(Object key, Runnable task) {
        boolean[] first = {false};
        queues.compute(key, (k, queue) -> {
            if (queue == null) {
                queue = new ConcurrentLinkedQueue<>();
                first[0] = true;
            }
            queue.add(task);
            return queue;
        });
        return first[0];
    }

    private void schedule(Object key) {
        long submitted = delay.submitted();
        try {
            executor.execute(() -> turn(key, submitted));
        } catch (RejectedExecutionException refused) {
            park(key, submitted, refused);
        } catch (RuntimeException | Error failed) {
            // not a full queue (e.g. no thread could be made): nothing will ever run the key's turn
            delay.withdrawn();
            Queue<Runnable> dropped = queues.remove(key);
            LOG.log(Level.SEVERE, "Work for " + key + " could not be handed to a worker: "
                    + (dropped == null ? 0 : dropped.size()) + " task(s) dropped", failed);
            throw failed;
        }
    }

    private void turn(Object key, long submitted) {
        delay.started(submitted);
        try {
            drain(key);
        } finally {
            takeParked();
        }
    }

    /**
     * The same executor for work of no key (the completions of rtpengine's answers, the core's keepalive): its wait
     * counts in {@link WorkQueueDelay} as a turn's does, and each such task takes the parked keys after it. Unlike
     * {@link #execute}, it throws {@link RejectedExecutionException} when the executor's queue is full: the
     * caller decides what refusal means for its task.
     */
    public Executor unkeyed() {
        return task -> {
            long submitted = delay.submitted();
            try {
                executor.execute(() -> {
                    delay.started(submitted);
                    try {
                        task.run();
                    } finally {
                        takeParked();
                    }
                });
            } catch (RuntimeException | Error refused) {
                delay.withdrawn();
                throw refused;
            }
        };
    }

    /**
     * The executor's queue is full (or it stops): the key waits here, its work kept, for the next worker that ends
     * a turn. Asking the executor once more after parking ({@link #askAgain}) closes the race with the last busy
     * worker.
     */
    private void park(Object key, long submitted, RejectedExecutionException refused) {
        parked.add(new Parked(key, submitted));
        int now = parkedCount.incrementAndGet();
        parkings.record(count -> count + " call(s) or transaction(s) found no place in the SIP workers' queue since"
                + " the last such line (" + refused.getMessage() + "), " + now + " waiting beside it now: their work"
                + " is kept and runs as workers free up");
        askAgain();
    }

    /**
     * Hands the executor a task that takes the parked keys, after a key was parked or put back: if it is refused,
     * the queue is full, so some worker will end a task after this and take the key; if it is taken, that task does.
     * Without it a key put back just after the other workers' last looks would wait for a task that never comes.
     */
    private void askAgain() {
        try {
            executor.execute(this::takeParked);
        } catch (RejectedExecutionException stillFull) {
            // a worker will take it
        }
    }

    /**
     * A task just ended, so the queue has room: the oldest parked key's turn goes to the queue's tail, behind the work
     * that was queued before it (accepted work keeps its order; RFC 7339), rather than running here ahead of it. If
     * the queue is full again, the key stays first among the parked.
     */
    private void takeParked() {
        Parked next = parked.poll();
        if (next == null) {
            return;
        }
        try {
            executor.execute(() -> turn(next.key(), next.submitted()));
            parkedCount.decrementAndGet();
        } catch (RejectedExecutionException stillFull) {
            parked.addFirst(next);
            askAgain(); // the other workers may have emptied the queue while the key was out of the deque
        }
    }

    /** Whether the executor has refused a turn that no worker has taken yet: new work should be refused. */
    public boolean full() {
        return parkedCount.get() > 0;
    }

    /**
     * Whether as many keys wait beside the full queue as the queue itself holds: work of a key with none queued
     * ({@link #hasWork}) that nobody has accepted yet should be refused, or the parked keys would have no bound.
     */
    public boolean crowded() {
        return parkedCount.get() >= parkedLimit;
    }

    /** Whether {@code key} has work queued or running. */
    public boolean hasWork(Object key) {
        return queues.containsKey(key);
    }

    /** Whether {@code key} has more than {@code tasks} tasks queued or running (counts no further than that). */
    public boolean hasMoreThan(Object key, int tasks) {
        Queue<Runnable> queue = queues.get(key);
        return queue != null && queue.stream().limit(tasks + 1L).count() > tasks;
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

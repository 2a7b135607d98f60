package org.webims.gateway.sip.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SIP runtime's worker threads: a fixed pool of threads made by the server's managed thread factory, with a
 * bounded queue. Its tasks are meant not to block (SIP procedures, the completions of rtpengine's answers), so a few
 * threads per core do. The bound is a last resort: {@link WorkQueueDelay} refuses new sessions once work waits
 * longer than its target, long before the queue fills; a task offered to a full queue is refused with
 * {@link java.util.concurrent.RejectedExecutionException}.
 *
 * <p>Not the server's managed executor: that one wraps every task in the submitter's captured context ("WildFly around
 * tasks", 2-3 % of the gateway's CPU in the profiles of docs/BENCHMARKS.md), which SIP work (no EJB call, no transaction, no JNDI lookup) does
 * not need, and its threads cannot be told from others. {@link #ownsCurrentThread} lets {@link KeyedSerialExecutor}
 * run a call's work on the thread that completed the call's rtpengine answer instead of handing it on.
 */
public final class WorkerPool implements Executor, AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final int queueCapacity;
    private final ThreadLocal<Boolean> own = new ThreadLocal<>();
    /** Run by a worker after each task (see {@link #afterEachTask}). */
    private volatile Runnable afterEach = () -> { };

    private WorkerPool(ThreadFactory threads, String name, int size, int queueCapacity) {
        this.queueCapacity = queueCapacity;
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(queueCapacity),
                task -> {
                    Thread thread = threads.newThread(() -> {
                        own.set(Boolean.TRUE);
                        task.run();
                    });
                    thread.setName(name + "-" + count.incrementAndGet());
                    return thread;
                }, (task, executor) -> {
                    throw new RejectedExecutionException(executor.isShutdown() ? name + " pool stopped"
                            : name + " queue full (" + queueCapacity + " tasks)");
                }) {
            @Override
            protected void afterExecute(Runnable task, Throwable failure) {
                afterEach.run();
            }
        };
        pool.prestartAllCoreThreads(); // made now, by the owner (the managed thread factory's context is the owner's)
    }

    /**
     * A pool of {@code size} threads made by {@code threads} (the server's managed thread factory), named
     * {@code name-N}, queuing at most {@code queueCapacity} tasks; stop it with {@link #close()}.
     */
    public static WorkerPool start(ThreadFactory threads, String name, int size, int queueCapacity) {
        if (size < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("size " + size + ", queue " + queueCapacity);
        }
        return new WorkerPool(threads, name, size, queueCapacity);
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /**
     * Has every worker run {@code hook} after each task it ran, whatever the task was: {@link KeyedSerialExecutor}
     * takes there the work that found the queue full, so that it runs as soon as any worker is free.
     */
    public void afterEachTask(Runnable hook) {
        afterEach = hook;
    }

    /** Whether the calling thread is one of this pool's. */
    public boolean ownsCurrentThread() {
        return own.get() != null;
    }

    /** The most tasks that wait for a thread before the next is refused. */
    public int capacity() {
        return queueCapacity;
    }

    /** Tasks waiting for a thread. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Stops the threads (interrupting running tasks) and drops what waits: the runtime that used it has closed. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

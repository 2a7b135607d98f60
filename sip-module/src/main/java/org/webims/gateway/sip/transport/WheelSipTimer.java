package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.Properties;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JAIN-SIP's timer (the RFC 3261 §17 timers of its transactions, its dialogs' retransmission and linger timers) on a
 * hashed timing wheel, Netty's {@link HashedWheelTimer} from the server's own Netty. Instantiated by JAIN-SIP by name
 * ({@code gov.nist.javax.sip.TIMER_CLASS_NAME}).
 *
 * <p>Why not the stack's default ({@code java.util.Timer}): every transaction ticks on it every T1 until it ends, so
 * thousands of tasks are due at as many different instants each second; the timer thread sleeps and wakes for each
 * (a futex wait and wake every time, and one more from whichever thread schedules a task due sooner than the head),
 * and each schedule and each tick is a heap operation under the timer's lock: 5 % of the gateway's CPU per call in
 * the perf profile of issue 14. A wheel is scheduled by a lock-free queue, wakes once per tick whatever it holds, and
 * costs O(1) per task. A tick of {@value #TICK_MS} ms makes a timer late by at most that, against T1's 500 ms; a
 * periodic task (every transaction's, every T1: the stack counts its RFC 3261 timers in these periods) is re-armed
 * from within a tick, so its next delay is one tick short of the period, or each period would last a tick longer.
 */
public final class WheelSipTimer implements SipTimer {
    /** The wheel's resolution. */
    static final long TICK_MS = 10;
    /** 5.12 s a turn at 10 ms a tick: most of the stack's timers (T1 multiples, Timer K, lingers) fall within one. */
    private static final int TICKS_PER_WHEEL = 512;
    private static final Logger LOG = Logger.getLogger(WheelSipTimer.class.getName());

    private volatile HashedWheelTimer wheel;

    @Override
    public synchronized void start(SipStackImpl stack, Properties configuration) {
        if (wheel != null) {
            return; // already running: a second wheel would be a second thread, never stopped
        }
        ThreadFactory daemon = task -> {
            Thread thread = new Thread(task, "sip-stack-timer");
            thread.setDaemon(true); // as the stack's other threads: never what keeps a JVM from exiting
            return thread;
        };
        // no leak detection: one wheel for the stack's life, stopped with it
        wheel = new HashedWheelTimer(daemon, TICK_MS, TimeUnit.MILLISECONDS, TICKS_PER_WHEEL, false);
        wheel.start();
    }

    @Override
    public boolean isStarted() {
        return wheel != null;
    }

    @Override
    public synchronized void stop() {
        HashedWheelTimer stopping = wheel;
        if (stopping != null) {
            stopping.stop(); // what was pending never runs, as with the stack's default
            wheel = null; // after: Netty refuses a stop from the wheel's own thread, and the wheel then runs on
        }
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delayMs) {
        return arm(task, delayMs, 0);
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delayMs, long periodMs) {
        if (periodMs <= 0) {
            throw new IllegalArgumentException("period " + periodMs + " ms");
        }
        return arm(task, delayMs, periodMs);
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        return task.getSipTimerTask() instanceof Armed armed && armed.cancel();
    }

    private boolean arm(SIPStackTimerTask task, long delayMs, long periodMs) {
        HashedWheelTimer running = wheel;
        if (running == null) {
            // as the stack's default timer: the stack schedules nothing once stopped, so this is a bug to surface
            throw new IllegalStateException("The SIP stack's timer is stopped, no task can be scheduled");
        }
        Armed armed = new Armed(running, task, periodMs);
        task.setSipTimerTask(armed);
        armed.next(Math.max(0, delayMs));
        return true;
    }

    /** One task of the stack on the wheel: run once, or again {@code periodMs} after each run ends, until cancelled. */
    private static final class Armed implements TimerTask {
        private final HashedWheelTimer wheel;
        private final long periodMs;
        /** The stack's task; null once cancelled. */
        private final AtomicReference<SIPStackTimerTask> task;
        private volatile Timeout timeout;

        Armed(HashedWheelTimer wheel, SIPStackTimerTask task, long periodMs) {
            this.wheel = wheel;
            this.task = new AtomicReference<>(task);
            this.periodMs = periodMs;
        }

        void next(long delayMs) {
            timeout = wheel.newTimeout(this, delayMs, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run(Timeout expired) {
            SIPStackTimerTask current = task.get();
            if (current == null) {
                return;
            }
            try {
                current.runTask();
            } catch (Throwable e) { // as the stack's default timer does, so that a periodic task goes on
                // the stack's default printed the failure to stdout
                LOG.log(Level.SEVERE, "SIP stack timer task " + current.getClass().getName() + " failed", e);
            }
            if (periodMs > 0 && task.get() != null) {
                try {
                    // re-armed within a tick: the wheel would add that tick to every period (see the class)
                    next(Math.max(0, periodMs - TICK_MS));
                } catch (IllegalStateException stopped) {
                    // the stack is stopping: its timers end with it
                }
            }
        }

        /** As {@code TimerTask.cancel}: true when this prevented a run; the stack's clean-up runs once either way. */
        boolean cancel() {
            SIPStackTimerTask current = task.getAndSet(null);
            if (current == null) {
                return false;
            }
            current.cleanUpBeforeCancel();
            Timeout pending = timeout;
            boolean prevented = pending != null && pending.cancel(); // off the wheel now, not at its next tick
            return periodMs > 0 || prevented;
        }
    }
}

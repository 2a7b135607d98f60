package org.webims.gateway.sip.harness;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling with a deadline: what a harness test waits for, it gets within seconds or fails saying what it saw. */
final class Await {
    static final Duration WAIT = Duration.ofSeconds(5);

    private Await() {
    }

    static <T> T first(String what, Supplier<List<T>> seen, Predicate<T> match) {
        return first(what, seen, match, WAIT);
    }

    /** As {@link #first(String, Supplier, Predicate)}, for what comes only after a timer of its own. */
    static <T> T first(String what, Supplier<List<T>> seen, Predicate<T> match, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            for (T item : seen.get()) {
                if (match.test(item)) {
                    return item;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; saw " + seen.get());
            }
            pause();
        }
    }

    static void until(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10); // polling pace
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

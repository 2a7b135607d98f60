package org.webims.gateway.sip.throttle;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failures counted per key in a fixed window, as Kamailio's pike module counts requests: once a key has failed
 * {@code maxFailures} times within the window, it is refused until the penalty has passed, and then starts afresh.
 * At most {@code maxKeys} keys are remembered; the one that failed least recently is forgotten first. Thread-safe.
 *
 * @param <K> what is counted: a source address, a private identity
 */
public final class FailureThrottle<K> {
    private final int maxFailures;
    private final long windowMillis;
    private final long penaltyMillis;
    private final Clock clock;
    private final Map<K, Counter> counters;

    private static final class Counter {
        long windowStart;
        int failures;
        long refusedUntil;

        Counter(long now) {
            windowStart = now;
        }
    }

    /** @param maxFailures failures allowed within the window; 0 or less: never refuses */
    public FailureThrottle(int maxFailures, Duration window, Duration penalty, int maxKeys, Clock clock) {
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.penaltyMillis = penalty.toMillis();
        this.clock = clock;
        this.counters = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Counter> eldest) {
                return size() > Math.max(1, maxKeys);
            }
        };
    }

    /** How long the key is still refused, empty when it may try. */
    public synchronized Optional<Duration> refusal(K key) {
        Counter counter = counters.get(key);
        if (counter == null || counter.refusedUntil == 0) {
            return Optional.empty();
        }
        long now = clock.millis();
        if (now >= counter.refusedUntil) {
            counters.remove(key); // the penalty is served: a fresh start
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(counter.refusedUntil - now));
    }

    /** Counts one failure; returns true when it is the one that starts the key's penalty. */
    public synchronized boolean failed(K key) {
        if (maxFailures <= 0) {
            return false;
        }
        long now = clock.millis();
        Counter counter = counters.computeIfAbsent(key, k -> new Counter(now));
        if (counter.refusedUntil != 0) {
            if (now < counter.refusedUntil) {
                return false; // an answer to a request relayed before the penalty began
            }
            counter.refusedUntil = 0;
            counter.failures = 0;
            counter.windowStart = now;
        }
        if (now - counter.windowStart >= windowMillis) {
            counter.failures = 0;
            counter.windowStart = now;
        }
        counter.failures++;
        if (counter.failures >= maxFailures) {
            counter.refusedUntil = now + penaltyMillis;
            return true;
        }
        return false;
    }

    /** A success clears the key's count, unless it is serving a penalty. */
    public synchronized void succeeded(K key) {
        Counter counter = counters.get(key);
        if (counter != null && counter.refusedUntil == 0) {
            counters.remove(key);
        }
    }

    /** Keys remembered now (at most the cap). */
    public synchronized int size() {
        return counters.size();
    }
}

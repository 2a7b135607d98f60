package org.webims.gateway.sip.admission;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.webims.gateway.ports.policy.Limit;

/**
 * Simultaneous calls per subscriber and per provider (all its users together), reserved atomically at admission
 * and released exactly once when the call ends, so that a burst of INVITEs cannot pass a limit together.
 */
public final class CallCounts {
    private final Map<String, Integer> bySubscriber = new HashMap<>();
    private final Map<String, Integer> byProvider = new HashMap<>();

    /** A reservation to release when the call ends. */
    public record Reservation(String subscriber, String provider) {
    }

    /**
     * Reserves a call for {@code subscriber} (and {@code provider}, when not null) unless that passes a limit; the
     * Warning text of the refusal names the layer that set it.
     */
    public synchronized Result reserve(String subscriber, Limit maxCalls, String provider, Limit providerMaxCalls) {
        int mine = bySubscriber.getOrDefault(subscriber, 0);
        if (maxCalls != null && mine >= maxCalls.value()) {
            return new Result(null, "at most " + maxCalls.value() + " simultaneous calls, set by "
                    + maxCalls.source().describe());
        }
        int theirs = provider == null ? 0 : byProvider.getOrDefault(provider, 0);
        if (provider != null && providerMaxCalls != null && theirs >= providerMaxCalls.value()) {
            return new Result(null, "provider " + provider + " has reached its " + providerMaxCalls.value()
                    + " simultaneous calls");
        }
        bySubscriber.put(subscriber, mine + 1);
        if (provider != null) {
            byProvider.put(provider, theirs + 1);
        }
        return new Result(new Reservation(subscriber, provider), null);
    }

    public synchronized void release(Reservation reservation) {
        bySubscriber.computeIfPresent(reservation.subscriber(), (k, n) -> n <= 1 ? null : n - 1);
        if (reservation.provider() != null) {
            byProvider.computeIfPresent(reservation.provider(), (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    public synchronized int ofSubscriber(String subscriber) {
        return bySubscriber.getOrDefault(subscriber, 0);
    }

    public synchronized int ofProvider(String provider) {
        return byProvider.getOrDefault(provider, 0);
    }

    /** A reservation, or the Warning text of the refusal. */
    public record Result(Reservation reservation, String refusal) {
        public Optional<Reservation> reserved() {
            return Optional.ofNullable(reservation);
        }
    }
}

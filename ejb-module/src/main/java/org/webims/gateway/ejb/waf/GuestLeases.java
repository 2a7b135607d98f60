package org.webims.gateway.ejb.waf;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.webims.gateway.ejb.policy.GuestPool;

/**
 * The identities of each provider's guest pool on lease (TS 33.203 Annex X.4: identities from a pool): an identity
 * is leased until a given time, then rests for the pool's quarantine before anyone else gets it, so that calls and
 * messages meant for one guest never reach the next. Memory is bounded by the pools' sizes. Thread-safe.
 */
public final class GuestLeases {
    /** An identity of a provider's pool, held until {@code until}. */
    public record Lease(String provider, int index, String impu, Instant until) {
    }

    /** Per provider: index → the instant the identity is free again (end of lease plus quarantine). */
    private final Map<String, Map<Integer, Instant>> busyUntil = new HashMap<>();
    /** Per provider: the identities leased and their index. */
    private final Map<String, Map<String, Integer>> indexOf = new HashMap<>();

    /** The lowest free identity of the pool, leased until {@code until}; empty when every one is leased or resting. */
    public synchronized Optional<Lease> lease(String provider, GuestPool pool, Instant now, Instant until) {
        Map<Integer, Instant> busy = busyUntil.computeIfAbsent(provider, p -> new HashMap<>());
        busy.values().removeIf(free -> !free.isAfter(now));
        for (int index = 0; index < pool.size(); index++) {
            if (!busy.containsKey(index)) {
                busy.put(index, until.plus(Duration.ofSeconds(pool.quarantineSeconds())));
                indexOf.computeIfAbsent(provider, p -> new HashMap<>()).put(pool.identity(index), index);
                return Optional.of(new Lease(provider, index, pool.identity(index), until));
            }
        }
        return Optional.empty();
    }

    /** A connection registered with the identity: it stays leased until {@link #release}. */
    public synchronized void hold(String provider, String impu) {
        Integer index = indexOf.getOrDefault(provider, Map.of()).get(impu);
        if (index != null) {
            busyUntil.computeIfAbsent(provider, p -> new HashMap<>()).put(index, Instant.MAX);
        }
    }

    /** The connection closed: the identity rests for {@code quarantine}, then is free for another guest. */
    public synchronized void release(String provider, String impu, Instant now, Duration quarantine) {
        Integer index = indexOf.getOrDefault(provider, Map.of()).get(impu);
        if (index != null) {
            busyUntil.computeIfAbsent(provider, p -> new HashMap<>()).put(index, now.plus(quarantine));
        }
    }

    /**
     * When the first identity of a full pool is free again (for Retry-After); empty when every one is held by a live
     * connection (nobody knows when that ends).
     */
    public synchronized Optional<Instant> nextFree(String provider) {
        return busyUntil.getOrDefault(provider, Map.of()).values().stream().filter(free -> !Instant.MAX.equals(free))
                .min(Instant::compareTo);
    }
}

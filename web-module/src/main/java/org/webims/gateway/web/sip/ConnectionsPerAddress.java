package org.webims.gateway.web.sip;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many WebSocket connections each source address holds, with a cap per address and a cap on the number of
 * addresses tracked (so the table is bounded whatever the clients do). An address's entry exists only while it holds
 * a connection. Thread-safe; each check-and-count is atomic.
 */
final class ConnectionsPerAddress {
    /** Why a connection was not admitted. */
    enum Refusal {
        /** The address already holds the most connections allowed per address. */
        ADDRESS_FULL,
        /** Too many distinct addresses hold connections. */
        TABLE_FULL
    }

    /** One admitted connection's place; {@link #release()} gives it back, once, however often it is called. */
    interface Lease {
        void release();
    }

    /** The outcome of {@link #admit}: a lease, or why not. */
    record Admission(Optional<Lease> lease, Optional<Refusal> refusal) {
        boolean admitted() {
            return lease.isPresent();
        }
    }

    private final int maxPerAddress;
    private final int maxAddresses;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

    ConnectionsPerAddress(int maxPerAddress, int maxAddresses) {
        if (maxPerAddress <= 0 || maxAddresses <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxPerAddress + ", " + maxAddresses);
        }
        this.maxPerAddress = maxPerAddress;
        this.maxAddresses = maxAddresses;
    }

    int maxPerAddress() {
        return maxPerAddress;
    }

    /** Counts a new connection from the address unless it is over a cap. */
    Admission admit(InetAddress address) {
        Refusal[] refusal = new Refusal[1];
        open.compute(address, (a, count) -> {
            if (count == null) {
                if (open.size() >= maxAddresses) {
                    refusal[0] = Refusal.TABLE_FULL;
                    return null;
                }
                return 1;
            }
            if (count >= maxPerAddress) {
                refusal[0] = Refusal.ADDRESS_FULL;
                return count;
            }
            return count + 1;
        });
        if (refusal[0] != null) {
            return new Admission(Optional.empty(), Optional.of(refusal[0]));
        }
        AtomicBoolean released = new AtomicBoolean();
        Lease lease = () -> {
            if (released.compareAndSet(false, true)) {
                open.computeIfPresent(address, (a, count) -> count > 1 ? count - 1 : null);
            }
        };
        return new Admission(Optional.of(lease), Optional.empty());
    }

    /** Connections the address holds now. */
    int count(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    /** Addresses holding at least one connection. */
    int addresses() {
        return open.size();
    }
}

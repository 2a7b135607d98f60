package org.webims.gateway.diameter.peer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound on one peer's requests awaiting answers: at most {@code max} in flight, of which a new session may take
 * only {@code max - max/4}; the last quarter is kept for the sessions in progress (their updates and ends), so a slow
 * server fills up with new sessions' first requests, which are then refused at once, never with the requests of calls
 * already up. Thread-safe; never blocks.
 */
final class InFlightLimit {
    private final int max;
    private final int newSessions;
    private final AtomicInteger inFlight = new AtomicInteger();

    InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max in flight must be positive, not " + max);
        }
        this.max = max;
        this.newSessions = max - max / 4; // below 4 nothing can be kept back: every request may take any slot
    }

    /** Takes a slot for a request of this urgency, or returns false (nothing taken) when there is none for it. */
    boolean take(Urgency urgency) {
        int bound = boundFor(urgency);
        while (true) {
            int now = inFlight.get();
            if (now >= bound) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** A request taken earlier is answered, failed or timed out. */
    void give() {
        inFlight.decrementAndGet();
    }

    /** Whether a request of this urgency would be taken now. */
    boolean hasRoomFor(Urgency urgency) {
        return inFlight.get() < boundFor(urgency);
    }

    int boundFor(Urgency urgency) {
        return urgency == Urgency.NEW_SESSION ? newSessions : max;
    }

    int inFlight() {
        return inFlight.get();
    }
}

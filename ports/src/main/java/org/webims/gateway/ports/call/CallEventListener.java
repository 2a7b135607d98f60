package org.webims.gateway.ports.call;

import java.util.Optional;

/**
 * Told of every call event, on the call's own serial queue, in order, and of every relayed MESSAGE. A listener returns
 * at once: anything slow (a database, Diameter) it hands to its own bounded executor. A listener that throws is logged
 * and does not affect the call.
 */
@FunctionalInterface
public interface CallEventListener {
    void onCallEvent(CallEvent event);

    /** A MESSAGE got its final response. */
    default void onMessage(MessageFacts message) {
    }

    /**
     * Why a new call cannot be taken now (its events could not be recorded: a charging backlog; or the OCS has no room
     * for its credit session), or empty. Asked before a call is admitted: overload is refused early (503), never by
     * losing a record of an accepted call or releasing it.
     */
    default Optional<String> refusesNewCalls() {
        return Optional.empty();
    }

    /**
     * Why a new event that is only recorded, not debited (a MESSAGE from the core to a client), cannot be taken now
     * (its record could not be kept: a charging backlog), or empty. Online charging has no say in it.
     */
    default Optional<String> refusesNewRecords() {
        return Optional.empty();
    }
}

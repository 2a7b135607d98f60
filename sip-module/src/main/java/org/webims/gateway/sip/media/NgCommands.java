package org.webims.gateway.sip.media;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one rtpengine ng command (a dictionary with at least {@code command}) and completes with the reply
 * dictionary when its {@code result} is not {@code error}. Implemented by {@link NgClient}; tests substitute a fake.
 */
@FunctionalInterface
public interface NgCommands {
    CompletableFuture<Map<String, Object>> command(Map<String, Object> request);

    /** What a command is for, when rtpengine is busy: what calls in progress need goes before new sessions. */
    enum Urgency { ONGOING, NEW_SESSION }

    /** As {@link #command(Map)}, queued by its urgency when the client bounds the commands in flight. */
    default CompletableFuture<Map<String, Object>> command(Map<String, Object> request, Urgency urgency) {
        return command(request);
    }

    /** Whether offers of new sessions would be refused now (their queue is full). */
    default boolean saturated() {
        return false;
    }
}

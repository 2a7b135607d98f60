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
}

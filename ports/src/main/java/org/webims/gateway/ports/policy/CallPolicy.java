package org.webims.gateway.ports.policy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What call control asks before it admits a registration, a call or a message (TS 22.228 §11.2). Asked on a SIP or
 * WebSocket thread: an implementation returns at once and completes the stage later on its own thread (or at once
 * from memory); it never blocks the caller on a database. A stage that fails is treated as a refusal (500).
 */
public interface CallPolicy {

    /** The combined policy for a subscriber using a client from an address. */
    CompletionStage<EffectivePolicy> policyFor(PolicySubject subject);

    /**
     * Tells call control when the operator bars a subscriber, so that the subscriber's calls in progress are released
     * (calls otherwise keep the policy they started with). Called on the thread that changed the policy.
     */
    default void watchBarring(BarringListener listener) {
    }

    /** A policy that restricts nothing: the gateway without a policy store (unit tests, the in-JVM harness). */
    static CallPolicy unrestricted() {
        return subject -> CompletableFuture.completedFuture(EffectivePolicy.unrestricted(subject));
    }

    /** Told of a subscriber barred by the operator. */
    @FunctionalInterface
    interface BarringListener {
        void subscriberBarred(String impu, Source source);
    }
}

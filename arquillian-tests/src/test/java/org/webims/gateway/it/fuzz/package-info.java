/**
 * A deterministic mutation fuzzer of SIP over WebSocket (RFC 7118): valid requests of every method the gateway
 * serves ({@link org.webims.gateway.it.fuzz.SeedMessages}), damaged by a seeded
 * {@link org.webims.gateway.it.fuzz.SipMutator}, sent over registered and unregistered connections
 * ({@link org.webims.gateway.it.fuzz.FuzzConnection}) by {@link org.webims.gateway.it.fuzz.SipFuzzer}, which counts
 * the answers and checks between batches that a fresh client still registers. {@code SipFuzzIT} runs it.
 */
package org.webims.gateway.it.fuzz;

package org.webims.gateway.ports.policy;

/**
 * Whom a policy is asked for: the public user identity (IMPU), the Origin of the client's WebSocket handshake
 * (which names its provider), the provider a WAF token named (null until then), and the client's address (the
 * connection's peer, or the trusted reverse proxy's {@code X-Forwarded-For}), which names its access network.
 */
public record PolicySubject(String impu, String origin, String provider, String address) {
}

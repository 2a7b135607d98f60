package org.webims.gateway.ports.policy;

import java.util.Locale;
import java.util.Optional;

/** A service a WebRTC IMS client may be allowed (TS 22.228 §11.2: services limited by policy and subscription). */
public enum Service {
    AUDIO, VIDEO, MESSAGING;

    /** The name used in the REST API and in Warnings: {@code audio}, {@code video}, {@code messaging}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Service> fromToken(String token) {
        for (Service service : values()) {
            if (service.token().equals(token)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }
}

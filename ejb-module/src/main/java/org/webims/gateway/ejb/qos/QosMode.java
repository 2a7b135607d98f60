package org.webims.gateway.ejb.qos;

import java.util.Locale;

/** What a failed authorisation does to the call ({@code gateway.qos.mode}). */
public enum QosMode {
    /** No successful AAA, no call: refused with a status and Warning before anything reaches the core. */
    REQUIRED,
    /** The call goes on without QoS; the failure is logged. */
    BEST_EFFORT;

    public static QosMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "required" -> REQUIRED;
            case "best-effort" -> BEST_EFFORT;
            default -> throw new IllegalArgumentException("gateway.qos.mode is required or best-effort, not " + text);
        };
    }
}

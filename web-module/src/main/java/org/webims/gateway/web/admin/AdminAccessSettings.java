package org.webims.gateway.web.admin;

import java.time.Duration;

/**
 * How the admin API is guarded: {@code maxFailures} failed authentications from one source within
 * {@code failureWindow} make that source wait {@code penalty}; at most {@code maxTrackedSources} sources are
 * remembered; {@code httpsPort} is named in the refusal on plain HTTP.
 */
public record AdminAccessSettings(int maxFailures, Duration failureWindow, Duration penalty, int maxTrackedSources,
        int httpsPort) {
    public AdminAccessSettings {
        if (maxFailures < 1 || maxTrackedSources < 1 || failureWindow.isNegative() || failureWindow.isZero()
                || penalty.isNegative() || penalty.isZero()) {
            throw new IllegalArgumentException("gateway.admin.*: " + maxFailures + " failures in " + failureWindow
                    + ", penalty " + penalty + ", " + maxTrackedSources + " sources");
        }
    }
}

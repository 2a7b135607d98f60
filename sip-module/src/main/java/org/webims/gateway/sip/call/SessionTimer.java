package org.webims.gateway.sip.call;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A negotiated session timer (RFC 4028): the interval and who refreshes. Parsed from a Session-Expires value such
 * as {@code 1800;refresher=uac}.
 *
 * @param refresherIsUac whether the UAC of the dialog refreshes (otherwise the UAS)
 */
public record SessionTimer(Duration interval, boolean refresherIsUac) {
    /** RFC 4028 §4: the minimum Min-SE. */
    public static final Duration MIN_SE = Duration.ofSeconds(90);
    /** What the gateway asks for toward the core. */
    public static final Duration REQUESTED = Duration.ofSeconds(1800);

    public static Optional<SessionTimer> parse(String sessionExpires, boolean defaultRefresherIsUac) {
        if (sessionExpires == null || sessionExpires.isBlank()) {
            return Optional.empty();
        }
        String[] parts = sessionExpires.split(";");
        long seconds;
        try {
            seconds = Long.parseLong(parts[0].trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (seconds <= 0) {
            return Optional.empty();
        }
        boolean uac = defaultRefresherIsUac;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.equals("refresher=uac")) {
                uac = true;
            } else if (p.equals("refresher=uas")) {
                uac = false;
            }
        }
        return Optional.of(new SessionTimer(Duration.ofSeconds(seconds), uac));
    }

    /** RFC 4028 §10: the refresher sends its refresh at half the interval. */
    public Duration refreshAfter() {
        return interval.dividedBy(2);
    }

    public String headerValue() {
        return interval.toSeconds() + ";refresher=" + (refresherIsUac ? "uac" : "uas");
    }
}

package org.webims.gateway.sip.announce;

import java.util.Locale;
import java.util.Optional;

/**
 * Why an originating call failed, as the user is told (TS 22.228 §11.2 network tones and announcements): each cause
 * has its file ({@code <name>.wav}) and its configured playback.
 */
public enum FailureCause {
    /** 486 Busy Here, 600 Busy Everywhere, 603 Decline: the busy tone (ITU-T E.180 §2.3). */
    BUSY,
    /** 500, 503, 504 and the gateway's own overload: the congestion tone (E.180 §2.4). */
    CONGESTION,
    /** 404, 484, 604: the number does not exist. */
    NOT_FOUND,
    /** 480, 408, 410: the called user cannot be reached now. */
    UNAVAILABLE,
    /** 403 and other refusals by policy or the core. */
    REFUSED,
    /** 380 for an emergency number: the user must call from a phone (regulatory, TS 22.228 §11.2). */
    EMERGENCY,
    /** 402: no credit left. */
    NO_CREDIT;

    /** The cause a final status announces; none for statuses the user need not be told (487, 488, 3xx...). */
    public static Optional<FailureCause> of(int status) {
        return Optional.ofNullable(switch (status) {
            case 486, 600, 603 -> BUSY;
            case 500, 503, 504 -> CONGESTION;
            case 404, 484, 604 -> NOT_FOUND;
            case 408, 410, 480 -> UNAVAILABLE;
            case 401, 403, 407, 606 -> REFUSED;
            case 380 -> EMERGENCY;
            case 402 -> NO_CREDIT;
            default -> null;
        });
    }

    /** The name in configuration and file names: {@code not-found}, {@code no-credit}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static FailureCause ofKey(String key) {
        for (FailureCause cause : values()) {
            if (cause.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
                return cause;
            }
        }
        throw new IllegalArgumentException("unknown failure cause '" + key + "'; one of busy, congestion, not-found,"
                + " unavailable, refused, emergency, no-credit");
    }
}

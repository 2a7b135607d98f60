package org.webims.gateway.sip.announce;

import java.util.Locale;

/** What the user hears before a failure's final response ({@code gateway.announcements.on-failure}). */
public enum Playback {
    /** The tone of the plan (busy, congestion). */
    TONE,
    /** The cause's spoken announcement. */
    ANNOUNCEMENT,
    /** Nothing: the final response at once, as before. */
    NONE;

    public static Playback of(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a failure's playback is tone, announcement or none, not '" + value
                    + "'");
        }
    }
}

package org.webims.gateway.ports.identity;

import java.time.Instant;
import java.util.List;

/** The outcome of checking a client's access token. */
public sealed interface TokenCheck {

    /** A token the WAF issued, unexpired, seen for the first time, presented from its provider's Origin. */
    record Valid(String impu, String impi, String provider, boolean guest, List<String> destinations,
            Instant expiresAt) implements TokenCheck {
        public Valid {
            destinations = List.copyOf(destinations);
        }
    }

    /** RFC 6750 §3.1 {@code invalid_token}: malformed, not ours, expired or replayed (401). */
    record Invalid(String why) implements TokenCheck {
    }

    /** A good token presented where it may not be used: another provider's Origin (403). */
    record Forbidden(String why) implements TokenCheck {
    }
}

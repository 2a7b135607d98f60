package org.webims.gateway.sip.registration;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bindings each AoR holds at the IMS core through this gateway, as the core granted them: they outlive the
 * client's connection (the gateway cannot de-register a digest client: it has no credentials), so a client that
 * reconnects again and again (with a new {@code +sip.instance} each time) piles up stale contacts at the core until
 * the core's 200 to REGISTER no longer fits any transport and the subscriber is locked out. A REGISTER that would add
 * a contact beyond {@code gateway.registration.max-per-aor} is refused until older ones expire at the core.
 * Memory: entries only come from the core's 2xx (authenticated subscribers), at most that many per AoR. Plain Java.
 */
public final class CoreBindings {
    private final int maxPerAor;
    private final Clock clock;
    private final Map<String, Map<String, Instant>> byAor = new HashMap<>();

    public CoreBindings(int maxPerAor, Clock clock) {
        if (maxPerAor < 1) {
            throw new IllegalArgumentException("gateway.registration.max-per-aor must be at least 1");
        }
        this.maxPerAor = maxPerAor;
        this.clock = clock;
    }

    public int maxPerAor() {
        return maxPerAor;
    }

    /** Whether the core may be asked to bind these contacts to the AoR (those it already holds always may). */
    public synchronized boolean admits(String aor, List<String> contacts) {
        Map<String, Instant> held = live(aor);
        long added = contacts.stream().distinct().filter(c -> !held.containsKey(c)).count();
        return held.size() + added <= maxPerAor;
    }

    /** What a 2xx to a REGISTER says the core now holds (RFC 3261 §10.3: the contacts granted, with expiry). */
    public synchronized void granted(RegistrationUpdate update) {
        Map<String, Instant> held = byAor.computeIfAbsent(update.aor(), a -> new LinkedHashMap<>());
        if (update.removeAll()) {
            held.clear();
        }
        Instant now = clock.instant();
        for (RegistrationUpdate.ContactGrant grant : update.contacts()) {
            if (grant.expiresSeconds() > 0) {
                held.put(grant.contact(), now.plusSeconds(grant.expiresSeconds()));
            } else {
                held.remove(grant.contact());
            }
        }
        if (held.isEmpty()) {
            byAor.remove(update.aor());
        }
    }

    /** Forgets what has expired at the core (the registration sweep). */
    public synchronized void expire() {
        byAor.keySet().removeIf(aor -> live(aor).isEmpty());
    }

    private Map<String, Instant> live(String aor) {
        Map<String, Instant> held = byAor.getOrDefault(aor, Map.of());
        if (held.isEmpty()) {
            return held;
        }
        Instant now = clock.instant();
        for (Iterator<Instant> it = held.values().iterator(); it.hasNext();) {
            if (!it.next().isAfter(now)) {
                it.remove();
            }
        }
        return held;
    }
}

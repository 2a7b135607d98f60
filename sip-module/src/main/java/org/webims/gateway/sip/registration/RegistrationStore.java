package org.webims.gateway.sip.registration;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.webims.gateway.sip.flow.FlowId;

/**
 * The bindings the IMS core accepted through this gateway. Updated from REGISTER answers, removed on de-registration,
 * on expiry without refresh and when their flow closes (RFC 5626 §5.3). All methods are thread-safe.
 */
public final class RegistrationStore {
    private final Clock clock;
    private final Map<Binding.BindingKey, Binding> bindings = new LinkedHashMap<>();

    public RegistrationStore(Clock clock) {
        this.clock = clock;
    }

    /** Applies a successful REGISTER transaction; returns the bindings it removed. */
    public synchronized List<Binding> apply(RegistrationUpdate update) {
        Instant now = clock.instant();
        List<Binding> removed = new ArrayList<>();
        if (update.removeAll()) {
            bindings.values().removeIf(b -> {
                boolean match = b.aor().equals(update.aor()) && b.flow().equals(update.flow());
                if (match) {
                    removed.add(b);
                }
                return match;
            });
            return removed;
        }
        for (RegistrationUpdate.ContactGrant grant : update.contacts()) {
            Binding.BindingKey key = new Binding.BindingKey(update.aor(), grant.contact());
            if (grant.expiresSeconds() <= 0) {
                Binding gone = bindings.remove(key);
                if (gone != null) {
                    removed.add(gone);
                }
                continue;
            }
            Binding previous = bindings.get(key);
            Instant registeredAt = previous != null && previous.flow().equals(update.flow())
                    ? previous.registeredAt() : now;
            bindings.put(key, new Binding(update.aor(), grant.contact(), grant.instanceId(), grant.regId(),
                    update.flow(), update.associatedUris(), update.serviceRoute(), registeredAt,
                    now.plusSeconds(grant.expiresSeconds())));
        }
        return removed;
    }

    /** The live binding over a flow, used to assert identity and route originating requests. */
    public synchronized Optional<Binding> forFlow(FlowId flow) {
        Instant now = clock.instant();
        return bindings.values().stream()
                .filter(b -> b.flow().equals(flow) && !b.expiredAt(now))
                .max(Comparator.comparing(Binding::registeredAt));
    }

    /** Removes every binding of a closed flow and returns them. */
    public synchronized List<Binding> removeFlow(FlowId flow) {
        List<Binding> removed = new ArrayList<>();
        bindings.values().removeIf(b -> {
            if (b.flow().equals(flow)) {
                removed.add(b);
                return true;
            }
            return false;
        });
        return removed;
    }

    /** Removes the bindings whose expiry has passed without a refresh and returns them. */
    public synchronized List<Binding> expire() {
        Instant now = clock.instant();
        List<Binding> removed = new ArrayList<>();
        bindings.values().removeIf(b -> {
            if (b.expiredAt(now)) {
                removed.add(b);
                return true;
            }
            return false;
        });
        return removed;
    }

    public synchronized List<Binding> all() {
        return List.copyOf(bindings.values());
    }

    public synchronized int size() {
        return bindings.size();
    }
}

package org.webims.gateway.sip.registration;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.webims.gateway.sip.flow.FlowId;

/**
 * The bindings the IMS core accepted through this gateway. Updated from REGISTER answers, removed on de-registration,
 * on expiry without refresh and when their flow closes (RFC 5626 §5.3). All methods are thread-safe.
 *
 * <p>Bindings are kept by AoR and contact (RFC 3261 §10.3) and indexed by flow, so that the lookup of every
 * originating request ({@link #forFlow}) and the clean-up of a closed connection ({@link #removeFlow}) touch only
 * that flow's bindings. Changes are made under the store's lock; {@link #forFlow} takes no lock: it reads the flow's
 * entry of the index, an immutable list replaced whole on every change.
 */
public final class RegistrationStore {
    /** The order bindings were first stored in, which {@link #all()}, the index and every returned list keep. */
    private static final Comparator<Entry> INSERTION = Comparator.comparingLong(Entry::order);

    private final Clock clock;
    private final Map<Binding.BindingKey, Entry> bindings = new LinkedHashMap<>(); // guarded by this
    private final Map<FlowId, List<Entry>> byFlow = new ConcurrentHashMap<>(); // written under this
    private long nextOrder; // guarded by this

    /** A binding and when its AoR and contact were first stored, which fixes its place among the others. */
    private record Entry(long order, Binding binding) {}

    public RegistrationStore(Clock clock) {
        this.clock = clock;
    }

    /** Applies a successful REGISTER transaction; returns the bindings it removed. */
    public synchronized List<Binding> apply(RegistrationUpdate update) {
        Instant now = clock.instant();
        List<Binding> removed = new ArrayList<>();
        if (update.removeAll()) {
            for (Entry e : byFlow.getOrDefault(update.flow(), List.of())) {
                if (e.binding().aor().equals(update.aor())) {
                    removed.add(remove(e.binding().key()));
                }
            }
            return removed;
        }
        for (RegistrationUpdate.ContactGrant grant : update.contacts()) {
            Binding.BindingKey key = new Binding.BindingKey(update.aor(), grant.contact());
            if (grant.expiresSeconds() <= 0) {
                Binding gone = remove(key);
                if (gone != null) {
                    removed.add(gone);
                }
                continue;
            }
            Entry previous = bindings.get(key);
            Instant registeredAt = previous != null && previous.binding().flow().equals(update.flow())
                    ? previous.binding().registeredAt() : now;
            put(previous, new Binding(update.aor(), grant.contact(), grant.instanceId(), grant.regId(),
                    update.flow(), update.associatedUris(), update.serviceRoute(), registeredAt,
                    now.plusSeconds(grant.expiresSeconds())));
        }
        return removed;
    }

    /**
     * The live binding over a flow, used to assert identity and route originating requests: the most recently
     * registered one when the flow carries several.
     */
    public Optional<Binding> forFlow(FlowId flow) {
        Instant now = clock.instant();
        // max keeps the first of equal times: the binding stored first
        return byFlow.getOrDefault(flow, List.of()).stream()
                .map(Entry::binding)
                .filter(b -> !b.expiredAt(now))
                .max(Comparator.comparing(Binding::registeredAt));
    }

    /** Whether the flow holds a live binding of this public identity (its next REGISTER is a refresh). */
    public boolean holdsLive(FlowId flow, String aor) {
        Instant now = clock.instant();
        return byFlow.getOrDefault(flow, List.of()).stream().map(Entry::binding)
                .anyMatch(b -> b.aor().equals(aor) && !b.expiredAt(now));
    }

    /** Every binding over a flow, expired or not (until the sweep removes them). */
    public List<Binding> allForFlow(FlowId flow) {
        return byFlow.getOrDefault(flow, List.of()).stream().map(Entry::binding).toList();
    }

    /** Removes every binding of a closed flow and returns them. */
    public synchronized List<Binding> removeFlow(FlowId flow) {
        List<Binding> removed = new ArrayList<>();
        for (Entry e : byFlow.getOrDefault(flow, List.of())) {
            removed.add(remove(e.binding().key()));
        }
        return removed;
    }

    /** Removes the bindings whose expiry has passed without a refresh and returns them. */
    public synchronized List<Binding> expire() {
        Instant now = clock.instant();
        List<Binding> removed = new ArrayList<>();
        for (Entry e : List.copyOf(bindings.values())) {
            if (e.binding().expiredAt(now)) {
                removed.add(remove(e.binding().key()));
            }
        }
        return removed;
    }

    public synchronized List<Binding> all() {
        return bindings.values().stream().map(Entry::binding).toList();
    }

    public synchronized int size() {
        return bindings.size();
    }

    /** Stores a binding in place of {@code previous} (same AoR and contact, possibly another flow), or anew. */
    private void put(Entry previous, Binding binding) {
        Entry entry = new Entry(previous != null ? previous.order() : nextOrder++, binding);
        bindings.put(binding.key(), entry);
        if (previous != null && !previous.binding().flow().equals(binding.flow())) {
            unindex(previous);
        }
        // A refresh replaces the entry in one step: a concurrent forFlow never sees the flow without it.
        byFlow.merge(binding.flow(), List.of(entry), (listed, added) -> {
            List<Entry> all = new ArrayList<>(listed);
            all.removeIf(e -> e.binding().key().equals(binding.key()));
            all.addAll(added);
            all.sort(INSERTION);
            return List.copyOf(all);
        });
    }

    /** Removes the binding of an AoR and contact; returns it, or null when there is none. */
    private Binding remove(Binding.BindingKey key) {
        Entry gone = bindings.remove(key);
        if (gone == null) {
            return null;
        }
        unindex(gone);
        return gone.binding();
    }

    private void unindex(Entry entry) {
        byFlow.computeIfPresent(entry.binding().flow(), (flow, listed) -> {
            List<Entry> rest = listed.stream().filter(e -> !e.binding().key().equals(entry.binding().key())).toList();
            return rest.isEmpty() ? null : rest;
        });
    }
}

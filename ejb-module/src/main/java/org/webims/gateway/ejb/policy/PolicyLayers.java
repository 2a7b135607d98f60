package org.webims.gateway.ejb.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.webims.gateway.ports.policy.Layer;

/**
 * Every entry of every layer at one moment: an immutable snapshot, replaced as a whole after each committed change,
 * so that readers (call control, on SIP threads) never wait and never see half a change. Providers are also indexed
 * by Origin.
 */
public final class PolicyLayers {
    public static final PolicyLayers EMPTY = new PolicyLayers(Map.of());

    private final Map<PolicyKey, PolicyEntry> entries;
    private final Map<String, String> providerByOrigin;
    /** Each access network's ranges, parsed once per snapshot rather than on every request. */
    private final Map<String, java.util.List<Cidr>> networkRanges;

    private PolicyLayers(Map<PolicyKey, PolicyEntry> entries) {
        this.entries = Map.copyOf(entries);
        Map<String, String> byOrigin = new HashMap<>();
        entries.forEach((key, entry) -> {
            if (key.layer() == Layer.PROVIDER && entry.origins() != null) {
                entry.origins().forEach(origin -> byOrigin.put(PolicyRules.origin(origin), key.key()));
            }
        });
        this.providerByOrigin = Map.copyOf(byOrigin);
        Map<String, java.util.List<Cidr>> ranges = new HashMap<>();
        entries.forEach((key, entry) -> {
            if (key.layer() == Layer.NETWORK && entry.cidrs() != null) {
                ranges.put(key.key(), entry.cidrs().stream().map(Cidr::parse).flatMap(Optional::stream).toList());
            }
        });
        this.networkRanges = Map.copyOf(ranges);
    }

    /** The access networks' ranges by network name. */
    public Map<String, java.util.List<Cidr>> networkRanges() {
        return networkRanges;
    }

    public static PolicyLayers of(Map<PolicyKey, PolicyEntry> entries) {
        return new PolicyLayers(entries);
    }

    public Optional<PolicyEntry> get(PolicyKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    public PolicyLayers with(PolicyKey key, PolicyEntry entry) {
        Map<PolicyKey, PolicyEntry> changed = new HashMap<>(entries);
        if (entry == null) {
            changed.remove(key);
        } else {
            changed.put(key, entry);
        }
        return new PolicyLayers(changed);
    }

    /** The entries of one layer, by key in order. */
    public Map<String, PolicyEntry> layer(Layer layer) {
        Map<String, PolicyEntry> sorted = new TreeMap<>();
        entries.forEach((key, entry) -> {
            if (key.layer() == layer) {
                sorted.put(key.key(), entry);
            }
        });
        return sorted;
    }

    /** The provider whose application is served from this Origin (RFC 6454), if any. */
    public Optional<String> providerOf(String origin) {
        if (origin == null || origin.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(providerByOrigin.get(PolicyRules.origin(origin)));
        } catch (InvalidPolicy notAnOrigin) {
            return Optional.empty();
        }
    }
}

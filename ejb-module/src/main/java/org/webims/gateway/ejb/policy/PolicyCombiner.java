package org.webims.gateway.ejb.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.webims.gateway.ports.policy.AllowedDestinations;
import org.webims.gateway.ports.policy.BarredPrefix;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.Limit;
import org.webims.gateway.ports.policy.PolicySubject;
import org.webims.gateway.ports.policy.Service;
import org.webims.gateway.ports.policy.Source;

/**
 * Combines the layers that apply to a subject (TS 22.228 §11.2: operator policy and subscription, further limited by
 * the client's provider and its access network) into one effective policy. The most restrictive wins: a service
 * any applicable layer leaves out is denied (named after the first such layer in the order default, subscriber,
 * provider, network); barred prefixes add up; every allow list must let a destination through; each limit is the
 * lowest set.
 */
public final class PolicyCombiner {
    private static final List<Layer> ORDER = List.of(Layer.DEFAULT, Layer.SUBSCRIBER, Layer.PROVIDER, Layer.NETWORK);

    private PolicyCombiner() {
    }

    public static EffectivePolicy combine(PolicyLayers layers, PolicySubject subject) {
        String provider = provider(layers, subject).orElse(null);
        String network = network(layers, subject.address()).orElse(null);
        Map<Layer, Applied> applied = new EnumMap<>(Layer.class);
        layers.get(PolicyKey.DEFAULT).ifPresent(e -> applied.put(Layer.DEFAULT, new Applied(e, Source.OPERATOR_DEFAULT)));
        if (subject.impu() != null) {
            PolicyKey key = new PolicyKey(Layer.SUBSCRIBER, subject.impu());
            layers.get(key).ifPresent(e -> applied.put(Layer.SUBSCRIBER,
                    new Applied(e, new Source(Layer.SUBSCRIBER, key.key()))));
        }
        if (provider != null) {
            layers.get(new PolicyKey(Layer.PROVIDER, provider)).ifPresent(e -> applied.put(Layer.PROVIDER,
                    new Applied(e, new Source(Layer.PROVIDER, provider))));
        }
        if (network != null) {
            layers.get(new PolicyKey(Layer.NETWORK, network)).ifPresent(e -> applied.put(Layer.NETWORK,
                    new Applied(e, new Source(Layer.NETWORK, network))));
        }

        Map<Service, Source> denied = new EnumMap<>(Service.class);
        List<BarredPrefix> barredTo = new ArrayList<>();
        List<AllowedDestinations> allowedTo = new ArrayList<>();
        for (Layer layer : ORDER) {
            Applied a = applied.get(layer);
            if (a == null) {
                continue;
            }
            if (a.entry.services() != null) {
                for (Service service : Service.values()) {
                    if (!a.entry.services().contains(service)) {
                        denied.putIfAbsent(service, a.source);
                    }
                }
            }
            if (a.entry.barredDestinations() != null) {
                a.entry.barredDestinations().forEach(prefix -> barredTo.add(new BarredPrefix(prefix, a.source)));
            }
            if (a.entry.allowedDestinations() != null) {
                allowedTo.add(new AllowedDestinations(a.entry.allowedDestinations(), a.source));
            }
        }
        Applied subscriber = applied.get(Layer.SUBSCRIBER);
        Applied operator = applied.get(Layer.DEFAULT);
        Applied theProvider = applied.get(Layer.PROVIDER);
        Applied theNetwork = applied.get(Layer.NETWORK);
        return new EffectivePolicy(subject,
                subscriber != null && subscriber.entry.isBarred() ? subscriber.source : null,
                denied, barredTo, allowedTo,
                Limit.lower(limit(operator, PolicyEntry::maxCalls), limit(subscriber, PolicyEntry::maxCalls)),
                Limit.lower(limit(operator, PolicyEntry::maxCallSeconds), limit(subscriber, PolicyEntry::maxCallSeconds)),
                provider, limit(theProvider, PolicyEntry::maxCalls), limit(theProvider, PolicyEntry::maxRegistrations),
                network, theNetwork != null && Boolean.TRUE.equals(theNetwork.entry.qos()));
    }

    /** The provider a WAF token named, else the one whose application is served from the subject's Origin. */
    private static Optional<String> provider(PolicyLayers layers, PolicySubject subject) {
        if (subject.provider() != null && layers.get(new PolicyKey(Layer.PROVIDER, subject.provider())).isPresent()) {
            return Optional.of(subject.provider());
        }
        return layers.providerOf(subject.origin());
    }

    /** The most specific access network (longest prefix) whose ranges hold the address. */
    static Optional<String> network(PolicyLayers layers, String address) {
        String best = null;
        int bestLength = -1;
        if (address == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, List<Cidr>> network : layers.networkRanges().entrySet()) {
            for (Cidr cidr : network.getValue()) {
                if (cidr.prefixLength() > bestLength && cidr.contains(address)) {
                    best = network.getKey();
                    bestLength = cidr.prefixLength();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static Limit limit(Applied applied, java.util.function.Function<PolicyEntry, Integer> field) {
        if (applied == null) {
            return null;
        }
        Integer value = field.apply(applied.entry);
        return value == null ? null : new Limit(value, applied.source);
    }

    private record Applied(PolicyEntry entry, Source source) {
    }
}

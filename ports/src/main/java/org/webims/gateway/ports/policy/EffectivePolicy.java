package org.webims.gateway.ports.policy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy that applies to one subject once every layer is combined (the most restrictive wins), each part with
 * the layer that set it so that a refusal can name it. Absent parts (null limits, no provider) restrict nothing.
 *
 * @param barred         the layer that barred the subscriber, or null
 * @param denied         the services not allowed, each with the first layer (in {@link Layer} order) that denied it
 * @param allowedDestinations allow lists (each layer's that set one): a destination must be in every one of them
 * @param maxCalls       simultaneous calls of this subscriber
 * @param maxCallSeconds the longest call
 * @param provider       the provider of the client (by WAF token or Origin), or null when none is configured for it
 * @param providerMaxCalls simultaneous calls across all the provider's users
 * @param providerMaxRegistrations registrations across all the provider's users
 * @param network        the access network the client's address is in, or null
 * @param qos            whether that network supports QoS (TS 22.228 §11.2); false without a network
 */
public record EffectivePolicy(PolicySubject subject, Source barred, Map<Service, Source> denied,
        List<BarredPrefix> barredDestinations, List<AllowedDestinations> allowedDestinations, Limit maxCalls, Limit maxCallSeconds, String provider,
        Limit providerMaxCalls, Limit providerMaxRegistrations, String network, boolean qos) {

    public EffectivePolicy {
        Objects.requireNonNull(subject, "subject");
        denied = denied.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(denied));
        barredDestinations = List.copyOf(barredDestinations);
        allowedDestinations = List.copyOf(allowedDestinations);
    }

    /** No layer configured: everything allowed, nothing limited. */
    public static EffectivePolicy unrestricted(PolicySubject subject) {
        return new EffectivePolicy(subject, null, Map.of(), List.of(), List.of(), null, null, null, null, null, null,
                false);
    }

    public boolean allows(Service service) {
        return !denied.containsKey(service);
    }

    /** The layer that denied a service, when one did. */
    public Optional<Source> deniedBy(Service service) {
        return Optional.ofNullable(denied.get(service));
    }

    /** This policy with one more allow list (e.g. the destinations a guest may call). */
    public EffectivePolicy withAllowed(AllowedDestinations more) {
        List<AllowedDestinations> lists = new java.util.ArrayList<>(allowedDestinations);
        lists.add(more);
        return new EffectivePolicy(subject, barred, denied, barredDestinations, lists, maxCalls, maxCallSeconds,
                provider, providerMaxCalls, providerMaxRegistrations, network, qos);
    }

    /** The first allow list a destination is not in, if any. */
    public Optional<AllowedDestinations> notAllowing(DialPlan.Destination destination) {
        return allowedDestinations.stream().filter(a -> !a.allows(destination)).findFirst();
    }

    /** The first barred prefix a destination matches ({@link DialPlan.Destination#matches}), if any. */
    public Optional<BarredPrefix> barring(DialPlan.Destination destination) {
        return barredDestinations.stream().filter(b -> destination.matches(b.prefix())).findFirst();
    }
}

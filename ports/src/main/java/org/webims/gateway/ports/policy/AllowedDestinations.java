package org.webims.gateway.ports.policy;

import java.util.List;

/**
 * An allow list of one layer: a destination must match one of its prefixes ({@link DialPlan.Destination#matches}),
 * e.g. a shop's application that may only call the shop's own support numbers.
 */
public record AllowedDestinations(List<String> prefixes, Source source) {
    public AllowedDestinations {
        prefixes = List.copyOf(prefixes);
    }

    public boolean allows(DialPlan.Destination destination) {
        return prefixes.stream().anyMatch(destination::matches);
    }
}

package org.webims.gateway.ejb.policy;

import java.util.List;
import java.util.Set;
import org.webims.gateway.ports.policy.Service;

/**
 * One entry of one policy layer, as the operator set it. Every part is optional (null: this entry does not restrict
 * it); which parts a layer may set is {@link PolicyRules}' business.
 *
 * @param services            the services allowed; empty: none
 * @param barredDestinations  prefixes no call may reach
 * @param allowedDestinations prefixes calls must reach (an allow list)
 * @param maxCalls            simultaneous calls (per user; a provider's: of all its users together)
 * @param maxCallSeconds      the longest call
 * @param barred              a subscriber barred by the operator
 * @param origins             the web origins of a provider's application
 * @param maxRegistrations    registrations of all a provider's users together
 * @param cidrs               the address ranges of an access network
 * @param qos                 whether an access network supports QoS
 * @param guestPool           the anonymous identities a provider may hand out (issue 11)
 * @param guestDestinations   prefixes its guests may call (issue 11)
 */
public record PolicyEntry(Set<Service> services, List<String> barredDestinations, List<String> allowedDestinations,
        Integer maxCalls, Integer maxCallSeconds, Boolean barred, List<String> origins, Integer maxRegistrations,
        List<String> cidrs, Boolean qos, GuestPool guestPool, List<String> guestDestinations) {

    public static final PolicyEntry EMPTY = new PolicyEntry(null, null, null, null, null, null, null, null, null, null,
            null, null);

    public PolicyEntry {
        services = services == null ? null : Set.copyOf(services);
        barredDestinations = copy(barredDestinations);
        allowedDestinations = copy(allowedDestinations);
        origins = copy(origins);
        cidrs = copy(cidrs);
        guestDestinations = copy(guestDestinations);
    }

    private static List<String> copy(List<String> list) {
        return list == null ? null : List.copyOf(list);
    }

    public boolean isBarred() {
        return Boolean.TRUE.equals(barred);
    }
}

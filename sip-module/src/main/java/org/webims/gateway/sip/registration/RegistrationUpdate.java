package org.webims.gateway.sip.registration;

import java.util.List;
import org.webims.gateway.sip.flow.FlowId;

/**
 * What a 2xx to a REGISTER sent over {@code flow} says about that flow's contacts.
 *
 * @param contacts the contacts the client sent, each with the expiry the registrar granted (0 when the registrar
 *     no longer lists it, or it was de-registered)
 * @param removeAll the client sent {@code Contact: *} with expiry 0 (RFC 3261 §10.2.2)
 */
public record RegistrationUpdate(
        FlowId flow,
        String aor,
        List<ContactGrant> contacts,
        boolean removeAll,
        List<String> associatedUris,
        List<String> serviceRoute) {

    public RegistrationUpdate {
        contacts = List.copyOf(contacts);
        associatedUris = List.copyOf(associatedUris);
        serviceRoute = List.copyOf(serviceRoute);
    }

    /** One contact of the REGISTER and the expiry, in seconds, that the registrar granted it. */
    public record ContactGrant(String contact, String instanceId, Integer regId, int expiresSeconds) {}
}

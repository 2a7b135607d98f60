package org.webims.gateway.sip.registration;

import java.time.Instant;
import java.util.List;
import org.webims.gateway.sip.flow.FlowId;

/**
 * One registered contact of a WebRTC IMS client, as the IMS core accepted it.
 *
 * @param aor the public identity registered (the To of the REGISTER)
 * @param contact the client's Contact URI (typically on an {@code .invalid} host: reached only through its flow)
 * @param instanceId RFC 5626 {@code +sip.instance}, or null
 * @param regId RFC 5626 {@code reg-id}, or null
 * @param flow the WebSocket flow the registration came over
 * @param associatedUris P-Associated-URI of the 200 OK (RFC 7315 §4.1): the implicitly registered identities, the
 *     first being the default one asserted on originating requests
 * @param serviceRoute Service-Route of the 200 OK (RFC 3608), used as the route set of originating requests
 */
public record Binding(
        String aor,
        String contact,
        String instanceId,
        Integer regId,
        FlowId flow,
        List<String> associatedUris,
        List<String> serviceRoute,
        Instant registeredAt,
        Instant expiresAt) {

    public Binding {
        associatedUris = List.copyOf(associatedUris);
        serviceRoute = List.copyOf(serviceRoute);
    }

    /** The identity asserted for this client's requests (TS 24.229 §5.2.6.3.3): the default public identity. */
    public String defaultIdentity() {
        return associatedUris.isEmpty() ? aor : associatedUris.get(0);
    }

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    BindingKey key() {
        return new BindingKey(aor, contact);
    }

    record BindingKey(String aor, String contact) {}
}

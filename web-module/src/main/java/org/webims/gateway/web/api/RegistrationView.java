package org.webims.gateway.web.api;

import java.time.Instant;
import java.util.List;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.registration.Binding;

/** One binding as {@code GET /api/registrations} shows it. */
public record RegistrationView(
        String impu,
        List<String> associatedUris,
        String contact,
        String instance,
        Integer regId,
        String flow,
        String remote,
        String transport,
        List<String> serviceRoute,
        Instant registeredAt,
        Instant expires) {

    static RegistrationView of(Binding binding, Flow flow) {
        return new RegistrationView(binding.aor(), binding.associatedUris(), binding.contact(),
                binding.instanceId(), binding.regId(), binding.flow().toString(),
                flow == null ? null : flow.connection().remoteAddress().toString(),
                flow == null ? null : flow.connection().secure() ? "wss" : "ws",
                binding.serviceRoute(), binding.registeredAt(), binding.expiresAt());
    }
}

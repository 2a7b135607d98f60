package org.webims.gateway.web.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.webims.gateway.sip.runtime.SipRuntime;
import org.webims.gateway.web.sip.SipRuntimeHost;

/** {@code GET /api/registrations}: the bindings the IMS core accepted through this gateway, now. */
@Path("registrations")
public class RegistrationsResource {

    @Inject
    SipRuntimeHost host;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<RegistrationView> list() {
        SipRuntime runtime = host.runtime();
        return runtime.registrations().all().stream()
                .map(b -> RegistrationView.of(b, runtime.flows().get(b.flow()).orElse(null)))
                .toList();
    }
}

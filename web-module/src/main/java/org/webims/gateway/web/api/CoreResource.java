package org.webims.gateway.web.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.webims.gateway.sip.liveness.CoreStatus;
import org.webims.gateway.web.sip.SipRuntimeHost;

/**
 * {@code GET /api/core}: whether the IMS core answers ({@code state} UP or DOWN, {@code since},
 * {@code consecutiveFailures}, {@code lastAnswer}, {@code outages}).
 */
@Path("core")
public class CoreResource {

    @Inject
    SipRuntimeHost host;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public CoreStatus status() {
        return host.runtime().coreStatus();
    }
}

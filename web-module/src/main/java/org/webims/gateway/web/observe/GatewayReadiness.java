package org.webims.gateway.web.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.webims.gateway.sip.runtime.SipRuntime;
import org.webims.gateway.web.sip.SipRuntimeHost;

/**
 * The gateway's readiness on {@code /health/ready}: ready while its SIP runtime runs (WebSocket clients and the IMS
 * core can reach it), with what an operator looks at first beside it. A core that does not answer is shown, not made
 * "not ready": the core is shared by every node of a pool, and a client is better told by a 503 with Retry-After (the
 * gateway refuses new registrations and calls meanwhile) than by a connection refused.
 */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {
    static final String NAME = "webrtc-ims-gateway";

    @Inject
    SipRuntimeHost host;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        SipRuntime runtime;
        try {
            runtime = host.runtime();
        } catch (IllegalStateException stopped) {
            return response.down().withData("sip", "not running").build();
        }
        return response.up()
                .withData("sip", "running")
                .withData("imsCore", runtime.coreStatus().state().name())
                .withData("flows", runtime.flows().size())
                .withData("registrations", runtime.registrations().size())
                .withData("calls", runtime.callCount())
                .withData("mediaGatewaySaturated", runtime.mediaSaturated())
                .build();
    }
}

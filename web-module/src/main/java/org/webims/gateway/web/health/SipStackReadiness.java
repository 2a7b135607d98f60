package org.webims.gateway.web.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.webims.gateway.web.sip.SipRuntimeHost;

/** Ready when the SIP stack runs; reports the number of WebSocket flows and registrations. */
@Readiness
@ApplicationScoped
public class SipStackReadiness implements HealthCheck {

    @Inject
    SipRuntimeHost host;

    @Override
    public HealthCheckResponse call() {
        if (!host.running()) {
            return HealthCheckResponse.named("sip-stack").down().build();
        }
        var runtime = host.runtime();
        return HealthCheckResponse.named("sip-stack").up()
                .withData("flows", runtime.flows().size())
                .withData("registrations", runtime.registrations().size())
                .build();
    }
}

package org.webims.gateway.sip.runtime;

import java.util.Objects;
import org.webims.gateway.ports.call.CallEventListener;
import org.webims.gateway.ports.policy.CallPolicy;
import org.webims.gateway.ports.policy.DialPlan;

/**
 * What the SIP side asks and tells the rest of the application (module {@code ports}): the call policy, the
 * listener of call events (charging attaches there), and the operator's dial plan for destinations.
 */
public record GatewayPorts(CallPolicy policy, CallEventListener events, DialPlan dialPlan) {
    public GatewayPorts {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(dialPlan, "dialPlan");
    }

    /** No policy store and nobody listening: everything allowed (unit tests, the in-JVM harness). */
    public static GatewayPorts unrestricted() {
        return new GatewayPorts(CallPolicy.unrestricted(), event -> { }, DialPlan.defaults());
    }
}

package org.webims.gateway.sip.runtime;

import java.util.Objects;
import org.webims.gateway.ports.call.CallEventListener;
import org.webims.gateway.ports.identity.AccessTokens;
import org.webims.gateway.ports.policy.CallPolicy;
import org.webims.gateway.ports.policy.DialPlan;

/**
 * What the SIP side asks and tells the rest of the application (module {@code ports}): the call policy, the
 * listener of call events (charging attaches there), the operator's dial plan for destinations, and the WAF's check
 * of access tokens.
 */
public record GatewayPorts(CallPolicy policy, CallEventListener events, DialPlan dialPlan, AccessTokens tokens) {
    public GatewayPorts {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(dialPlan, "dialPlan");
        Objects.requireNonNull(tokens, "tokens");
    }

    /** No WAF: every access token refused. */
    public GatewayPorts(CallPolicy policy, CallEventListener events, DialPlan dialPlan) {
        this(policy, events, dialPlan, AccessTokens.none());
    }

    /** No policy store and nobody listening: everything allowed (unit tests, the in-JVM harness). */
    public static GatewayPorts unrestricted() {
        return new GatewayPorts(CallPolicy.unrestricted(), event -> { }, DialPlan.defaults());
    }
}

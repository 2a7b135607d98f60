package org.webims.gateway.sip.runtime;

import java.util.Objects;
import org.webims.gateway.ports.call.CallEventListener;
import org.webims.gateway.ports.charging.CreditControl;
import org.webims.gateway.ports.identity.AccessTokens;
import org.webims.gateway.ports.policy.CallPolicy;
import org.webims.gateway.ports.policy.DialPlan;
import org.webims.gateway.ports.qos.QosControl;
import org.webims.gateway.sip.announce.Announcements;

/**
 * What the SIP side asks and tells the rest of the application (module {@code ports}): the call policy, the
 * listener of call events (offline charging attaches there), the operator's dial plan for destinations, the WAF's check
 * of access tokens, online charging's credit control, the gateway's own tones and announcements, and QoS over Rx.
 */
public record GatewayPorts(CallPolicy policy, CallEventListener events, DialPlan dialPlan, AccessTokens tokens,
        CreditControl credit, Announcements announcements, QosControl qos) {
    public GatewayPorts {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(announcements, "announcements");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(dialPlan, "dialPlan");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(credit, "credit");
    }

    /** No QoS requested. */
    public GatewayPorts(CallPolicy policy, CallEventListener events, DialPlan dialPlan, AccessTokens tokens,
            CreditControl credit, Announcements announcements) {
        this(policy, events, dialPlan, tokens, credit, announcements, QosControl.none());
    }

    /** No tones nor announcements of the gateway's own. */
    public GatewayPorts(CallPolicy policy, CallEventListener events, DialPlan dialPlan, AccessTokens tokens,
            CreditControl credit) {
        this(policy, events, dialPlan, tokens, credit, Announcements.none());
    }

    /** No online charging. */
    public GatewayPorts(CallPolicy policy, CallEventListener events, DialPlan dialPlan, AccessTokens tokens) {
        this(policy, events, dialPlan, tokens, CreditControl.none());
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

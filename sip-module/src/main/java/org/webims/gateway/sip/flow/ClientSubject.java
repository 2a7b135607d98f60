package org.webims.gateway.sip.flow;

import java.net.InetAddress;
import org.webims.gateway.ports.policy.PolicySubject;

/** Whom a policy is asked for when a client on a flow acts: its identity, its handshake's Origin and its address. */
public final class ClientSubject {
    private ClientSubject() {
    }

    public static PolicySubject of(String impu, Flow flow) {
        InetAddress address = flow.connection().clientAddress();
        String provider = flow.authorised().map(Flow.TokenIdentity::provider).orElse(null); // the token names it
        return new PolicySubject(impu, flow.connection().origin(), provider,
                address == null ? null : address.getHostAddress());
    }
}

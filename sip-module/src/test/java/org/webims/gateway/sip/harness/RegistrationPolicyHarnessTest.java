package org.webims.gateway.sip.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.Limit;
import org.webims.gateway.ports.policy.Source;

/** The edge's policy on REGISTER, in-JVM: a provider's registration limit holds for REGISTERs sent at once. */
class RegistrationPolicyHarnessTest {
    private GatewayUnderTest gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayUnderTest();
        Limit one = new Limit(1, new Source(Layer.PROVIDER, "shop"));
        gateway.policy(subject -> new EffectivePolicy(subject, null, Map.of(), List.of(), List.of(), null, null,
                "shop", null, one, null, false));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
    }

    @Test
    void twoRegistersOfOneProviderAtOnceDoNotBothPassItsLimitOfOne() {
        WebRtcClient alice = new WebRtcClient("alice", GatewayUnderTest.DOMAIN).connect(gateway.runtime.webSockets());
        WebRtcClient bob = new WebRtcClient("bob", GatewayUnderTest.DOMAIN).connect(gateway.runtime.webSockets());
        gateway.register(alice);
        gateway.register(bob);
        SIPResponse a = alice.awaitFinal("REGISTER");
        SIPResponse b = bob.awaitFinal("REGISTER");
        assertEquals(List.of(200, 403), List.of(a.getStatusCode(), b.getStatusCode()).stream().sorted().toList(),
                "one place: " + a.getFirstLine() + " / " + b.getFirstLine());
        SIPResponse refused = a.getStatusCode() == 403 ? a : b;
        assertTrue(refused.getHeader("Warning").toString().contains("registration limit of provider shop reached"));
        assertEquals(1, gateway.core.count("REGISTER"), "the refused one never reached the core");
    }

    @Test
    void aPlaceIsFreedWhenTheRegisteredClientLeaves() {
        WebRtcClient alice = gateway.registered("alice");
        alice.disconnect();
        WebRtcClient bob = gateway.registered("bob");
        assertEquals(200, bob.awaitFinal("REGISTER").getStatusCode());
    }
}

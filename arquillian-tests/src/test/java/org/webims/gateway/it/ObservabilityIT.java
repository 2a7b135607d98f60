package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.support.Meters;

/**
 * The gateway's meters on the management interface's {@code /metrics} (Micrometer, Prometheus text). The call and
 * media meters' values under a call and under a saturated rtpengine: CallSignallingIT and MediaGatewayOverloadIT.
 */
class ObservabilityIT extends GatewayTestBase {

    @Test
    void theMetersCountARegisteredClientAndShowTheCoreAnswering() throws Exception {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN,
                SipClientIdentity.alice(), "sip")) {
            assertEquals(200, alice.register(600).status());
            String text = Meters.page();
            assertTrue(Meters.value(text, "webims_registrations").orElse(0) >= 1, "alice's binding counted:\n" + text);
            assertTrue(Meters.value(text, "webims_flows").orElse(0) >= 1, "her WebSocket counted:\n" + text);
            assertEquals(1.0, Meters.read(text, "webims_ims_core_up"), "the core answers:\n" + text);
            for (String name : new String[] {"webims_calls", "webims_sip_work_waiting", "webims_media_saturated",
                    "webims_media_commands_in_flight", "webims_media_commands_pending"}) {
                double value = Meters.read(text, name);
                assertTrue(value >= 0, name + " " + value);
            }
            assertEquals(0.0, Meters.read(text, "webims_media_saturated"), "nothing refused:\n" + text);
            alice.unregister();
        }
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.GatewayDeployment;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * Overload control toward the IMS core (issue 14, RFC 7339's principle): with 2 requests awaiting the core's final
 * answer (this deployment's gateway.ims.max-pending; two calls ringing at a phone that never answers), a new call and
 * a new client's first REGISTER get 503 with Retry-After and a Warning at once, while the registered client's refresh
 * and the calls in progress (their CANCELs) go on; once the core has answered, new calls pass again.
 */
class CoreOverloadIT extends MediaPeersBase {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Deployment(testable = false)
    public static EnterpriseArchive deployment() {
        return GatewayDeployment.ear(Map.of("gateway.ims.max-pending", "2", "gateway.calls.max-per-connection",
                "10"));
    }

    @Test
    void newWorkIsRefusedWhileTheCoreIsBehindAndWhatWasAcceptedGoesOn() throws Exception {
        try (WsSipClient alice = aliceRegistered();
                Sipp.Running uas = Sipp.scenario("uas-ring-cancel.xml").calls(3).start()) {
            String phone = "sip:uas@" + uas.hostPort();
            List<WsCall> ringing = List.of(new WsCall(alice, phone).invite(WebrtcSdp.opusOffer()),
                    new WsCall(alice, phone).invite(WebrtcSdp.opusOffer()));
            for (WsCall call : ringing) {
                call.await(180, WAIT); // the core has not answered them finally: 2 await it
            }
            SipMessage refused = new WsCall(alice, phone).invite(WebrtcSdp.opusOffer()).awaitFinal(WAIT);
            assertEquals(503, refused.status(), refused.toString());
            assertNotNull(refused.header("Retry-After"), refused.toString());
            assertTrue(refused.header("Warning").contains("the IMS core is behind"), refused.toString());
            try (WsSipClient bob = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN,
                    SipClientIdentity.bob(), "sip")) {
                SipMessage newRegistration = bob.register(600);
                assertEquals(503, newRegistration.status(), "a new registration waits: " + newRegistration);
                assertNotNull(newRegistration.header("Retry-After"), newRegistration.toString());
            }
            assertEquals(200, alice.register(600).status(), "a registration already accepted is refreshed");
            for (WsCall call : ringing) {
                assertEquals(200, call.cancel().status());
                assertEquals(487, call.awaitFinal(WAIT).status(), "the calls in progress go on to their end");
            }
            WsCall after = new WsCall(alice, phone).invite(WebrtcSdp.opusOffer());
            after.await(180, WAIT);
            assertEquals(200, after.cancel().status());
            assertEquals(487, after.awaitFinal(WAIT).status(), "new calls pass again once the core answered");
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }
}

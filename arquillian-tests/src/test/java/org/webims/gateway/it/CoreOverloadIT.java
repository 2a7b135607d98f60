package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Overload control toward the IMS core (issue 14, RFC 7339's principle): with as many requests awaiting any answer
 * of the core as this deployment allows (gateway.ims.max-pending 1: a MESSAGE whose far end answers only after 8 s,
 * which Kamailio relays without a provisional response; 4 s were judged too short for the steps that need it
 * unanswered on a loaded machine, and the core's own final-response timer, IMS_FR_TIMER, is 10 s), a new call and a
 * new client's first REGISTER get 503 with Retry-After and a Warning at once, while the registered client's refresh
 * and its call in progress go on; once the core has answered, new work passes again.
 */
class CoreOverloadIT extends MediaPeersBase {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Deployment(testable = false)
    public static EnterpriseArchive deployment() {
        // T1 of 500 ms (RFC 3261's default; the test bed's is 100): the MESSAGE's Timer F (64 T1) outlasts the 8 s
        return GatewayDeployment.ear(Map.of("gateway.ims.max-pending", "1", "gateway.sip.t1-ms", "500"));
    }

    @Test
    void newWorkIsRefusedWhileTheCoreIsBehindAndWhatWasAcceptedGoesOn() throws Exception {
        try (WsSipClient alice = aliceRegistered();
                Sipp.Running phone = Sipp.scenario("uas-reoffer.xml").args("-rtp_echo").start();
                Sipp.Running slow = Sipp.scenario("uas-message-slow.xml").calls(1).start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + phone.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            alice.withTimeout(Duration.ofSeconds(20)); // the MESSAGE's 200 comes after 8 s
            CompletableFuture<SipMessage> message = CompletableFuture.supplyAsync(
                    () -> alice.sendMessage("sip:uas@" + slow.hostPort(), "are you there?"));
            assertTrue(slow.awaitLogLine("MESSAGE", WAIT).isPresent(), "the MESSAGE is at the far end, unanswered");

            SipMessage refused = new WsCall(alice, "sip:uas@" + phone.hostPort()).invite(WebrtcSdp.opusOffer())
                    .awaitFinal(WAIT);
            assertEquals(503, refused.status(), refused.toString());
            assertNotNull(refused.header("Retry-After"), refused.toString());
            assertTrue(refused.header("Warning").contains("the IMS core is behind"), refused.toString());
            try (WsSipClient bob = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN,
                    SipClientIdentity.bob(), "sip")) {
                SipMessage newRegistration = bob.register(600);
                assertEquals(503, newRegistration.status(), "a new registration waits: " + newRegistration);
                assertNotNull(newRegistration.header("Retry-After"), newRegistration.toString());
                assertEquals(200, alice.register(600).status(), "a registration already accepted is refreshed");
                assertEquals(200, call.reinvite(WebrtcSdp.opusOffer(), WAIT).status(), "the call up goes on");

                assertEquals(200, message.get(20, TimeUnit.SECONDS).status(), "the slow far end answers at last");
                assertEquals(200, bob.register(600).status(), "once the core answered, new work passes again");
            }
            assertEquals(200, call.bye().status());
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
            assertTrue(slow.await(WAIT).ok(), slow.logLines().toString());
        }
    }
}

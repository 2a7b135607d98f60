package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.GatewayDeployment;
import org.webims.gateway.it.support.Meters;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * Overload control toward the media gateway (issue 14, RFC 7339's principle: refuse new work early, keep the
 * accepted): rtpengine frozen (SIGSTOP) while new calls arrive; the gateway keeps at most 2 ng commands in flight and
 * 2 offers of new calls waiting (this deployment's limits), so the calls beyond are refused with 503, Retry-After and
 * the Warning "media gateway saturated" while rtpengine still answers nothing, every new call gets a final response,
 * and the call already up goes on and ends normally.
 */
class MediaGatewayOverloadIT extends MediaPeersBase {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Deployment(testable = false)
    public static EnterpriseArchive deployment() {
        // refusals by the waiting offers' bound only (no queue-delay verdict), and commands that outlive the test's
        // reads while rtpengine is frozen (3 attempts of 3 s)
        return GatewayDeployment.ear(Map.of("gateway.media.max-in-flight", "2", "gateway.media.max-waiting-offers",
                "2", "gateway.calls.max-per-connection", "10", "gateway.media.max-queue-delay-ms", "60000",
                "gateway.media.timeout-ms", "3000"));
    }

    @Test
    void newCallsBeyondWhatTheMediaGatewayCanTakeAreRefusedAtOnceAndTheCallInProgressGoesOn() throws Exception {
        try (WsSipClient alice = aliceRegistered();
                Sipp.Running uas = Sipp.scenario("uas-answer-log-offer.xml").args("-rtp_echo").start()) {
            WsCall established = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            established.await(200, WAIT);
            established.ack();
            List<WsCall> burst = new ArrayList<>();
            List<SipMessage> finals = new ArrayList<>();
            rtpengine.freeze();
            try {
                for (int i = 0; i < 7; i++) {
                    burst.add(new WsCall(alice, "sip:nobody-" + i + "@ims.example.test")
                            .invite(WebrtcSdp.opusOffer()));
                }
                // while rtpengine answers nothing: 2 offers in flight, 2 waiting, the other 3 refused, whichever
                // they are (the calls are admitted in parallel, on their own queues)
                java.util.Set<String> burstIds = new java.util.HashSet<>();
                burst.forEach(c -> burstIds.add(c.callId()));
                for (int i = 0; i < 3; i++) {
                    SipMessage refused = alice.awaitMessage("a refusal of a call of the burst", m -> m.isResponse()
                            && burstIds.contains(m.callId()) && "INVITE".equals(m.cseqMethod()) && m.isFinal(), WAIT);
                    finals.add(refused);
                    assertEquals(503, refused.status(), refused.toString());
                    assertNotNull(refused.header("Retry-After"), "RFC 3261 21.5.4: when to try again");
                    assertTrue(refused.header("Warning").contains("media gateway saturated"), refused.toString());
                    burst.stream().filter(c -> c.callId().equals(refused.callId())).findFirst().orElseThrow()
                            .ackRefusal(refused);
                    burstIds.remove(refused.callId());
                }
                // what an operator's scraper sees meanwhile, in one reading
                String page = Meters.page();
                assertEquals(1.0, Meters.read(page, "webims_media_saturated"),
                        "new calls refused, rtpengine behind:\n" + page);
                assertEquals(2.0, Meters.read(page, "webims_media_commands_in_flight"),
                        "every turn taken:\n" + page);
                // and a refused call's delete may wait behind them as well
                assertTrue(Meters.read(page, "webims_media_commands_pending") >= 4,
                        "2 offers in flight and 2 waiting:\n" + page);
                assertTrue(api.calls().stream().anyMatch(c -> "CONFIRMED".equals(c.getString("state"))),
                        "the call up is still up: " + api.calls());
            } finally {
                rtpengine.thaw();
            }
            for (WsCall call : burst) {
                if (finals.stream().anyMatch(f -> f.callId().equals(call.callId()))) {
                    continue;
                }
                SipMessage last = call.awaitFinal(WAIT); // set up once rtpengine answers, then refused by the core
                finals.add(last);
                assertTrue(last.status() >= 300, "every new call ends: " + last);
                call.ackRefusal(last);
            }
            assertEquals(200, established.bye().status(), "the call that was up ends normally");
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
            assertEquals(7, finals.size());
            Meters.await("webims_media_saturated", 0, WAIT);
            Meters.await("webims_media_commands_pending", 0, WAIT);
            Meters.await("webims_media_commands_in_flight", 0, WAIT);
        }
    }
}

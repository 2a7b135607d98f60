package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.AdminApi;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/** With no media gateway answering, a call is refused with 503 and a Warning, never left hanging. */
class MediaGatewayDownIT extends GatewayTestBase {

    @Test
    void aCallGets503WithAWarningWhenRtpengineDoesNotAnswer() throws Exception {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN,
                SipClientIdentity.alice(), "sip");
                Sipp.Running uas = Sipp.scenario("uas-answer.xml").start()) {
            assertEquals(200, alice.register(600).status());
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            SipMessage refused = call.awaitFinal(Duration.ofSeconds(10));
            assertEquals(503, refused.status());
            assertTrue(refused.header("Warning").contains("media gateway unavailable"), refused.toString());
            assertTrue(!refused.header("Warning").contains(":" + TestBed.NG_PORT)
                    && !refused.header("Warning").contains("rtpengine"), "rtpengine's address stays inside: " + refused);
            assertEquals(0, new AdminApi().calls().size());
            assertTrue(uas.logLines().stream().noneMatch(l -> l.contains("INVITE")), "nothing reached the phone");
            uas.stop();
        }
    }
}

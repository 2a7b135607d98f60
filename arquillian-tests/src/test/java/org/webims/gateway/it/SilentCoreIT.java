package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * A core that is gone: over UDP nothing answers (RFC 3261 §17.1.1.2 Timer B: 408 after 64*T1, 6.4 s with the test
 * server's T1 of 100 ms); an INVITE over the UDP size limit goes over TCP (§18.1.1), whose connection is refused: a
 * transport error, 503 at once (§8.1.3.1). Which one depends on the INVITE's size; either way the caller gets that
 * answer, never a 500, and nothing is left behind in the gateway or in rtpengine.
 */
class SilentCoreIT extends MediaTestBase {

    @Test
    void aCallToASilentCoreTimesOutWith408AndLeavesNothingBehind() throws Exception {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN,
                SipClientIdentity.alice(), "sip")) {
            assertEquals(200, alice.register(600).status());
            core.close(); // the core is gone; the binding's Service-Route still points at it
            WsCall call = new WsCall(alice, "sip:uas@127.0.0.1:5999").invite(WebrtcSdp.opusOffer());
            SipMessage timedOut = call.awaitFinal(Duration.ofSeconds(15));
            assertTrue(timedOut.status() == 408 || timedOut.status() == 503 && timedOut.header("Warning")
                    .contains("IMS core unreachable"), timedOut.toString());
            api.awaitCalls(List::isEmpty, Duration.ofSeconds(5));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!rtpengine.sessions().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(rtpengine.sessions().isEmpty(), "rtpengine session deleted: " + rtpengine.sessions());
        }
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.webims.gateway.it.peers.MediaGatewayPeer;

/** Test classes with calls: the demo IMS core and rtpengine as the eIMS-AGW. */
public abstract class MediaTestBase extends GatewayTestBase {
    protected static MediaGatewayPeer rtpengine;

    @BeforeAll
    static void startRtpengine() throws Exception {
        rtpengine = MediaGatewayPeer.start();
    }

    /** Every call ends with nothing left behind: no call in the gateway, no media session in rtpengine. */
    @AfterEach
    void noCallOrMediaSessionRemains() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((!api.calls().isEmpty() || !rtpengine.sessions().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), api.calls(), "no live call remains");
        assertEquals(List.of(), rtpengine.sessions(), "rtpengine holds no session after the call");
    }

    @AfterAll
    static void stopRtpengine() {
        if (rtpengine != null) {
            rtpengine.close();
            rtpengine = null;
        }
    }
}

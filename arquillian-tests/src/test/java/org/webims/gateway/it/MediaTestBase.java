package org.webims.gateway.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.webims.gateway.it.peers.MediaGatewayPeer;

/** Test classes with calls: the demo IMS core and rtpengine as the eIMS-AGW. */
abstract class MediaTestBase extends GatewayTestBase {
    protected static MediaGatewayPeer rtpengine;

    @BeforeAll
    static void startRtpengine() throws Exception {
        rtpengine = MediaGatewayPeer.start();
    }

    @AfterAll
    static void stopRtpengine() {
        if (rtpengine != null) {
            rtpengine.close();
            rtpengine = null;
        }
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipResponses;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.MediaGatewayPeer;
import org.webims.gateway.it.support.WebrtcSdp;

/** Test classes with calls, whatever EAR they deploy: the demo IMS core and rtpengine as the eIMS-AGW. */
public abstract class MediaPeersBase extends GatewayPeersBase {
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

    /** Alice registered over WebSocket, answering the gateway's BYEs with 200. */
    protected static WsSipClient aliceRegistered() {
        WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN, SipClientIdentity.alice(),
                "sip");
        alice.setRequestHandler(request -> "BYE".equals(request.method())
                ? SipResponses.responseTo(request, 200, "OK") : null);
        assertEquals(200, alice.register(600).status());
        return alice;
    }

    /** The client answers every INVITE at once with 200 and a browser's answer to the offer, and every BYE. */
    protected static void answerCalls(WsSipClient client) {
        client.setRequestHandler(request -> switch (request.method()) {
            case "INVITE" -> SipResponses.responseTo(request, 200, "OK",
                    List.of("Contact: <" + client.requestFactory().contactUri() + ">"), "application/sdp",
                    WebrtcSdp.answerTo(request.body()));
            case "BYE" -> SipResponses.responseTo(request, 200, "OK");
            default -> null;
        });
    }

    /** Whether the test core (Kamailio, IMS_TRACE) logged a line with this fragment: what reached it. */
    protected static boolean coreSaw(String fragment) throws Exception {
        try (var lines = java.nio.file.Files.lines(core.log(), java.nio.charset.StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> l.contains(fragment));
        }
    }

    @AfterAll
    static void stopRtpengine() {
        if (rtpengine != null) {
            rtpengine.close();
            rtpengine = null;
        }
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipResponses;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.MediaGatewayPeer;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * Every client transaction gets a final answer whatever fails behind it (issue 9, finding 5): rtpengine stops in the
 * middle of a call, and the client's re-INVITE (hold) is refused within the ng timeout (gateway.media.timeout-ms
 * times gateway.media.attempts, 3 s by default) with 503, a Warning and Retry-After. RFC 3261 §14.2: the refused
 * re-INVITE leaves the session as it was, so the call goes on and the client can still hang up normally.
 */
class ReofferWithoutMediaGatewayIT extends GatewayTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** 3 ng attempts of 1 s, and room for a loaded machine; the defect was no answer at all (40 s seen). */
    private static final Duration NG_GIVES_UP = Duration.ofSeconds(8);
    private MediaGatewayPeer rtpengine;

    @BeforeEach
    void startRtpengine() throws Exception {
        rtpengine = MediaGatewayPeer.start();
    }

    @AfterEach
    void stopRtpengine() {
        rtpengine.close();
    }

    @Test
    void aReInviteWhileRtpengineIsDownIsAnswered503AndTheCallGoesOn() throws Exception {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN,
                SipClientIdentity.alice(), "sip");
                Sipp.Running uas = Sipp.scenario("uas-answer.xml").args("-rtp_echo").start()) {
            assertEquals(200, alice.register(600).status());
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            assertTrue(uas.awaitLogLine("ACK", WAIT).isPresent(), "the ACK reached the phone: " + uas.logLines());

            rtpengine.close();
            long start = System.nanoTime();
            SipMessage refused = call.reinvite(WebrtcSdp.opusOffer().replace("a=sendrecv", "a=sendonly"),
                    NG_GIVES_UP);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(503, refused.status(), refused.toString());
            assertTrue(refused.header("Warning").contains("media gateway unavailable"), refused.toString());
            assertNotNull(refused.header("Retry-After"), refused.toString());
            assertTrue(took.compareTo(NG_GIVES_UP) < 0, "answered after " + took);
            SipMessage updateRefused = call.update(WebrtcSdp.opusOffer().replace("a=sendrecv", "a=inactive"),
                    NG_GIVES_UP);
            assertEquals(503, updateRefused.status(), "an UPDATE's offer is answered too: " + updateRefused);
            assertTrue(updateRefused.header("Warning").contains("media gateway unavailable"), updateRefused.toString());

            List<JsonObject> calls = api.calls();
            assertEquals(1, calls.size(), "the call goes on: " + calls);
            assertEquals("CONFIRMED", calls.get(0).getString("state"));
            assertTrue(alice.receivedRequests().stream().noneMatch(m -> "BYE".equals(m.method())),
                    "the client was not hung up on");
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), "the phone saw no re-INVITE, then the client's BYE: " + uas.logLines());
        }
    }

    @Test
    void aReInviteFromTheCoreWhileRtpengineIsDownIsAnswered500AndTheCallGoesOn() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = Sipp.scenario("uas-hold-refused.xml").args("-rtp_echo").start()) {
            WsCall call = connected(alice, uas);
            rtpengine.close();
            Optional<String> refused = uas.awaitLogLine("REFUSED 500", WAIT);
            assertTrue(refused.isPresent(), "the core's re-INVITE was answered: " + uas.logLines());
            assertTrue(refused.get().contains("media gateway unavailable")
                    && refused.get().matches(".*Retry-After: \\d+"),
                    "with a Warning and Retry-After: " + refused.get());
            assertTrue(alice.receivedRequests().stream().noneMatch(m -> "INVITE".equals(m.method())),
                    "the client never saw the re-offer");
            assertEquals(200, call.bye().status(), "the call went on");
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    /**
     * The client accepted an offerless re-INVITE from the core with a 2xx whose offer cannot pass rtpengine: the two
     * legs no longer agree, so the core's re-INVITE gets 500 (never 503 toward a proxy) and both legs a BYE with a
     * Reason.
     */
    @Test
    void anOfferInTheClients2xxThatCannotPassEndsTheCallOnBothLegsWithAReason() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = Sipp.scenario("uas-offerless-reinvite-refused.xml").args("-rtp_echo").start()) {
            alice.setRequestHandler(request -> switch (request.method()) {
                case "INVITE" -> SipResponses.responseTo(request, 200, "OK",
                        List.of("Contact: <" + alice.requestFactory().contactUri() + ">"), "application/sdp",
                        WebrtcSdp.opusOffer());
                case "BYE" -> SipResponses.responseTo(request, 200, "OK");
                default -> null;
            });
            connected(alice, uas);
            rtpengine.close();
            assertTrue(uas.awaitLogLine("REFUSED 500", WAIT).isPresent(), "the core's re-INVITE was answered: "
                    + uas.logLines());
            SipMessage bye = alice.awaitMessage("the gateway's BYE", m -> m.isRequest() && "BYE".equals(m.method()),
                    WAIT);
            assertTrue(bye.header("Reason").contains("cause=503"), bye.toString());
            assertTrue(alice.receivedRequests().stream().anyMatch(m -> "ACK".equals(m.method())),
                    "the client's 2xx was acknowledged before the BYE");
            Optional<String> coreBye = uas.awaitLogLine("BYE Reason:", WAIT);
            assertTrue(coreBye.isPresent() && coreBye.get().contains("media gateway unavailable"), uas.logLines()
                    .toString());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
            awaitNoCalls();
        }
    }

    private static WsSipClient registeredAlice() {
        WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN, SipClientIdentity.alice(),
                "sip");
        assertEquals(200, alice.register(600).status());
        return alice;
    }

    private static WsCall connected(WsSipClient alice, Sipp.Running uas) {
        WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
        call.await(200, WAIT);
        call.ack();
        assertTrue(uas.awaitLogLine("ACK", WAIT).isPresent(), "the ACK reached the phone: " + uas.logLines());
        return call;
    }

    private void awaitNoCalls() throws Exception {
        api.awaitCalls(List::isEmpty, WAIT);
    }
}

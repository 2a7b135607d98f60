package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * SDP the media gateway cannot serve is refused before rtpengine sees it (issue 9, finding 6): 488 Not Acceptable
 * Here with a Warning (RFC 3261 §21.4.26, §20.43), no media session taken, and other calls unaffected. An offer of
 * 40 media streams had been answered 503 after taking rtpengine's ports from everyone else.
 */
class UnservableSdpIT extends MediaTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static WsSipClient registeredAlice() {
        WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN, SipClientIdentity.alice(),
                "sip");
        assertEquals(200, alice.register(600).status());
        return alice;
    }

    /** Chrome's Opus offer and further audio streams, each a few lines with its own mid: {@code streams} m-lines. */
    static String offerWithStreams(int streams) {
        StringBuilder sdp = new StringBuilder(WebrtcSdp.opusOffer().replace("a=group:BUNDLE 0\r\n", ""));
        for (int i = 1; i < streams; i++) {
            sdp.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:").append(i)
                    .append("\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n");
        }
        return sdp.toString();
    }

    @Test
    void anOfferOfFortyStreamsIsRefused488AndAnOrdinaryCallRightAfterWorks() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = Sipp.scenario("uas-answer.xml").args("-rtp_echo").start()) {
            WsCall greedy = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(offerWithStreams(40));
            SipMessage refused = greedy.awaitFinal(WAIT);
            assertEquals(488, refused.status(), refused.toString());
            assertTrue(refused.header("Warning").contains("more than 8 media streams"), refused.toString());
            greedy.ackRefusal(refused);
            assertEquals(List.of(), rtpengine.sessions(), "rtpengine was never asked");

            WsCall ordinary = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            ordinary.await(200, WAIT);
            ordinary.ack();
            assertTrue(uas.awaitLogLine("ACK", WAIT).isPresent(), "the ordinary call connected: " + uas.logLines());
            assertEquals(1, rtpengine.sessions().size());
            assertEquals(200, ordinary.bye().status());
            assertTrue(uas.await(WAIT).ok(), "only the ordinary call reached the phone: " + uas.logLines());
        }
    }

    @Test
    void absurdValuesInAnInitialOfferAreRefused488WithTheCause() throws Exception {
        try (WsSipClient alice = registeredAlice()) {
            String opus = WebrtcSdp.opusOffer();
            for (String[] bad : new String[][] {
                    {opus.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 126", "m=audio 9 UDP/TLS/RTP/SAVPF 111 300"),
                            "305", "payload type"},
                    {opus.replace("m=audio 9 ", "m=audio 99999 "), "399", "port out of range"},
                    {opus.replace("UDP/TLS/RTP/SAVPF", "QUIC/XYZ"), "302", "transport"},
                    {opus.replace("c=IN IP4 0.0.0.0\r\n", ""), "301", "connection address"},
                    {opus.replace("a=ice-options:trickle", "a=x-junk:" + "z".repeat(2000)), "399", "bytes"}}) {
                WsCall call = new WsCall(alice, "sip:nobody@ims.example.test").invite(bad[0]);
                SipMessage refused = call.awaitFinal(WAIT);
                assertEquals(488, refused.status(), refused.toString());
                assertTrue(refused.header("Warning").startsWith(bad[1] + " ")
                        && refused.header("Warning").contains(bad[2]), refused.toString());
                call.ackRefusal(refused);
            }
            assertEquals(List.of(), rtpengine.sessions(), "rtpengine was never asked");
        }
    }

    @Test
    void anAbsurdReofferInAConfirmedCallIsRefused488AndTheCallGoesOn() throws Exception {
        try (WsSipClient alice = registeredAlice();
                Sipp.Running uas = Sipp.scenario("uas-reoffer.xml").args("-rtp_echo").start()) {
            WsCall call = new WsCall(alice, "sip:uas@" + uas.hostPort()).invite(WebrtcSdp.opusOffer());
            call.await(200, WAIT);
            call.ack();
            SipMessage refused = call.reinvite(offerWithStreams(12), WAIT);
            assertEquals(488, refused.status(), refused.toString());
            assertTrue(refused.header("Warning").contains("media streams"), refused.toString());
            SipMessage refusedToo = call.reinvite(WebrtcSdp.opusOffer().replace(" 111 126", " 111 126 128"), WAIT);
            assertEquals(488, refusedToo.status(), refusedToo.toString());
            assertTrue(refusedToo.header("Warning").startsWith("305 "), refusedToo.toString());

            SipMessage accepted = call.reinvite(WebrtcSdp.opusOffer(), WAIT);
            assertEquals(200, accepted.status(), "the call goes on: a valid re-offer passes " + accepted);
            assertTrue(uas.awaitLogLine("REOFFER", WAIT).isPresent(), "only the valid re-offer reached the phone");
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
    }

    @Test
    void anOfferOfFortyStreamsFromTheCoreIsRefused488AndNeverReachesTheClient() throws Exception {
        try (WsSipClient alice = registeredAlice()) {
            Sipp.Result result = Sipp.scenario("uac-call-40-streams.xml").remote(core.hostPort())
                    .key("ruri", "sip:alice@ims.example.test").key("from", "sip:phone@ims.example.test")
                    .run(Duration.ofSeconds(30));
            assertTrue(result.ok(), result.describe());
            assertTrue(result.logLines().stream().anyMatch(l -> l.contains("REFUSED 488")
                    && l.contains("more than 8 media streams")), result.logLines().toString());
            assertTrue(alice.receivedRequests().stream().noneMatch(m -> "INVITE".equals(m.method())),
                    "nothing reached the client");
            assertEquals(List.of(), rtpengine.sessions(), "rtpengine was never asked");
        }
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.browser.Browser;
import org.webims.gateway.it.browser.JsonLike;
import org.webims.gateway.it.browser.Page;
import org.webims.gateway.it.peers.Sipp;

/**
 * Media that really flows: headless Chromium running JsSIP registers and calls through the gateway, rtpengine
 * anchors and transcodes the media, SIPp phones echo it back (TS 22.228 §11.2: origination, termination, media
 * interworking and transcoding). The browser sends a 1 kHz tone and must receive packets and, through the echo,
 * hear that tone again.
 */
class BrowserCallsIT extends MediaTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String WS = "ws://127.0.0.1:" + TestBed.HTTP_PORT + "/sip";
    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.launch();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private static Page registered(String user, String tone) {
        Page page = browser.open(user + "-" + System.nanoTime(), tone);
        page.call("register", Map.of("uri", "sip:" + user + "@ims.example.test",
                "authorizationUser", user + "@ims.example.test", "password", user + "-demo-secret", "wsUri", WS));
        return page;
    }

    /** Media both ways, and the echoed tone heard back at its own frequency. */
    private static void assertHearsTone(Page page, double hz) {
        JsonLike stats = page.waitMedia(WAIT);
        assertTrue(stats.get("inboundPackets").asLong() > 20 && stats.get("outboundPackets").asLong() > 20,
                "media both ways: " + stats);
        double heard = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < deadline && Math.abs(heard - hz) > hz * 0.05) {
            heard = page.call("toneFrequency").asDouble();
        }
        assertEquals(hz, heard, hz * 0.05, "the tone came back through the gateway: " + page.call("stats"));
    }

    /** Media flows again after a hold and resume: packets keep arriving both ways and the tone is heard. */
    private static void assertMediaResumes(Page page, double hz) throws InterruptedException {
        JsonLike before = page.call("stats");
        Thread.sleep(2000);
        JsonLike after = page.call("stats");
        assertTrue(after.get("inboundPackets").asLong() - before.get("inboundPackets").asLong() > 50
                && after.get("outboundPackets").asLong() - before.get("outboundPackets").asLong() > 50,
                "media both ways after the resume: " + before + " then " + after + "; SDP " + page.call("sdp"));
        assertHearsTone(page, hz);
    }

    @Test
    void aBrowserCallsAnImsPhoneWithMediaBothWays() throws Exception {
        Page alice = registered("alice", "1000");
        try (Sipp.Running phone = Sipp.scenario("uas-answer.xml").args("-rtp_echo").start()) {
            alice.call("call", "sip:uas@" + phone.hostPort(), Map.of("video", false));
            alice.waitEvent("confirmed", WAIT);
            assertHearsTone(alice, 1000);
            String callId = api.calls().get(0).getString("id");
            Map<String, Object> counters = rtpengine.query(callId);
            assertTrue(counters.toString().contains("packets"), "rtpengine counted the media: " + counters);
            alice.screenshot(Path.of("target", "screenshots", "browser-in-call.png"));
            alice.call("hangup");
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    @Test
    void earlyMediaIsHeardBeforeTheAnswerWithoutAndWith100rel() throws Exception {
        for (String scenario : List.of("uas-early-media.xml", "uas-early-media-100rel.xml")) {
            Page alice = registered("alice", "1000");
            try (Sipp.Running network = Sipp.scenario(scenario).args("-rtp_echo", "-d", "4000").start()) {
                long mark = alice.mark();
                alice.call("call", "sip:uas@" + network.hostPort(), Map.of("video", false));
                alice.waitEvent("progress", Map.of(), mark, WAIT);
                JsonLike early = alice.waitMedia(WAIT);
                assertTrue(early.get("inboundPackets").asLong() > 20, scenario + ": media before the answer " + early);
                assertTrue(alice.events().stream().noneMatch(e -> "confirmed".equals(e.get("type").asStringOr(""))),
                        scenario + ": still not answered while media flows");
                alice.waitEvent("confirmed", Map.of(), mark, Duration.ofSeconds(15));
                alice.call("hangup");
                assertTrue(network.await(WAIT).ok(), network.logLines().toString());
            } finally {
                alice.close();
            }
        }
    }

    @Test
    void anImsPhoneCallsTheBrowserWhichAnswers() throws Exception {
        phoneCallsAliceWhoAnswers("uac-call.xml", caller -> { });
    }

    @Test
    void anOfferlessInviteFromTheCoreIsAnsweredWithTheBrowsersOffer() throws Exception {
        phoneCallsAliceWhoAnswers("uac-call-late-offer.xml", caller -> assertTrue(
                caller.awaitLogLine("200 offer proto=RTP/AVP", WAIT).isPresent(),
                "the browser's offer reached the core as plain RTP in the 200: " + caller.logLines()));
    }

    /**
     * A SIPp phone runs {@code scenario} through the core toward alice (hanging up after 14 s: long enough for the
     * media check and the 8 s the tone may take to be recognised on a loaded machine, which 6 s was not, once in a
     * full run); alice answers, the check runs, the tone comes back through the phone's echo, and both ends see the
     * call end.
     */
    private void phoneCallsAliceWhoAnswers(String scenario, java.util.function.Consumer<Sipp.Running> check)
            throws Exception {
        Page alice = registered("alice", "1000");
        try {
            long mark = alice.mark();
            Sipp.Running caller = Sipp.scenario(scenario).remote(core.hostPort())
                    .key("ruri", "sip:alice@ims.example.test").key("from", "sip:phone@ims.example.test")
                    .args("-d", "14000", "-rtp_echo").start();
            try (caller) {
                alice.waitEvent("newRTCSession", Map.of(), mark, WAIT);
                alice.call("answer", Map.of("video", false));
                alice.waitEvent("confirmed", WAIT);
                check.accept(caller);
                assertHearsTone(alice, 1000);
                assertTrue(caller.await(Duration.ofSeconds(30)).ok(), caller.logLines().toString());
            }
            alice.waitEvent("ended", WAIT);
        } finally {
            alice.close();
        }
    }

    @Test
    void videoToAnAudioOnlyPhoneIsDeclinedWithoutFailingTheAudio() throws Exception {
        Page alice = registered("alice", "1000");
        try (Sipp.Running phone = Sipp.scenario("uas-answer.xml").args("-rtp_echo").start()) {
            alice.call("call", "sip:uas@" + phone.hostPort(), Map.of("video", true));
            alice.waitEvent("confirmed", WAIT);
            String answer = alice.call("sdp").get("remote").asString();
            assertTrue(answer.contains("m=video 0 "), "video declined with port 0:\n" + answer);
            assertHearsTone(alice, 1000);
            alice.call("hangup");
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    @Test
    void anOpusOnlyBrowserReachesAnAmrWbOnlyPhoneThroughTranscoding() throws Exception {
        Page alice = registered("alice", "1000");
        try (Sipp.Running phone = Sipp.scenario("uas-answer-amrwb.xml").args("-rtp_echo").start()) {
            alice.call("call", "sip:uas@" + phone.hostPort(),
                    Map.of("video", false, "codecs", List.of("opus", "telephone-event")));
            alice.waitEvent("confirmed", WAIT);
            assertTrue(phone.awaitLogLine("AMR-WB pt", WAIT).isPresent(), phone.logLines().toString());
            assertHearsTone(alice, 1000);
            var call = api.calls().get(0);
            assertTrue(call.getString("webrtcMedia").startsWith("audio: opus"), call.toString());
            assertTrue(call.getString("imsMedia").contains("AMR-WB"), call.toString());
            alice.call("hangup");
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    @Test
    void anOpusOnlyBrowserReachesAPcmuOnlyPhoneThroughTranscoding() throws Exception {
        Page alice = registered("alice", "1000");
        try (Sipp.Running phone = Sipp.scenario("uas-answer.xml").args("-rtp_echo").start()) {
            alice.call("call", "sip:uas@" + phone.hostPort(),
                    Map.of("video", false, "codecs", List.of("opus", "telephone-event")));
            alice.waitEvent("confirmed", WAIT);
            assertHearsTone(alice, 1000);
            assertTrue(api.calls().get(0).getString("imsMedia").contains("PCMU"), api.calls().toString());
            alice.call("hangup");
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    @Test
    void theBrowserHoldsResumesAndSendsDtmf() throws Exception {
        Page alice = registered("alice", "1000");
        try (Sipp.Running phone = Sipp.scenario("uas-hold.xml").args("-rtp_echo").start()) {
            alice.call("call", "sip:uas@" + phone.hostPort(), Map.of("video", false));
            alice.waitEvent("confirmed", WAIT);
            assertHearsTone(alice, 1000);
            alice.call("hold");
            assertTrue(phone.awaitLogLine("HOLD offer sendonly", WAIT).isPresent(), phone.logLines().toString());
            alice.call("unhold");
            assertTrue(phone.awaitLogLine("RESUME offer sendrecv", WAIT).isPresent(), phone.logLines().toString());
            assertMediaResumes(alice, 1000);
            alice.call("sendDTMF", "5", Map.of("transportType", "INFO"));
            assertTrue(phone.awaitLogLine("DTMF 5", WAIT).isPresent(), "INFO dtmf-relay reached the phone: "
                    + phone.logLines());
            alice.call("hangup");
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    @Test
    void anIceRestartFromTheBrowserKeepsTheMediaFlowing() throws Exception {
        Page alice = registered("alice", "1000");
        try (Sipp.Running phone = Sipp.scenario("uas-reoffer.xml").args("-rtp_echo").start()) {
            alice.call("call", "sip:uas@" + phone.hostPort(), Map.of("video", false));
            alice.waitEvent("confirmed", WAIT);
            assertHearsTone(alice, 1000);
            String before = alice.call("sdp").get("remote").asString();
            alice.call("restartIce");
            assertTrue(phone.awaitLogLine("REOFFER sendrecv", WAIT).isPresent(),
                    "the re-offer reached the phone, still sendrecv: " + phone.logLines());
            String after = alice.call("sdp").get("remote").asString();
            assertTrue(before.contains("a=ice-ufrag:") && after.contains("a=ice-ufrag:"), after);
            assertNotEquals(ufrag(before), ufrag(after), "the answer carries new ICE credentials (RFC 8445 §9)");
            assertMediaResumes(alice, 1000);
            alice.call("hangup");
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    private static String ufrag(String sdp) {
        return sdp.replaceAll("(?s).*a=ice-ufrag:([^\\r\\n]+).*", "$1");
    }

    @Test
    void thePhoneHoldsResumesAndSendsAnOfferlessReinvite() throws Exception {
        Page alice = registered("alice", "1000");
        try (Sipp.Running phone = Sipp.scenario("uas-hold-from-phone.xml").args("-rtp_echo").start()) {
            alice.call("call", "sip:uas@" + phone.hostPort(), Map.of("video", false));
            alice.waitEvent("confirmed", WAIT);
            assertTrue(phone.awaitLogLine("HOLD answered recvonly", WAIT).isPresent(),
                    "the browser accepted being held: " + phone.logLines());
            assertTrue(phone.awaitLogLine("RESUME answered", WAIT).isPresent(), phone.logLines().toString());
            assertMediaResumes(alice, 1000);
            assertTrue(phone.awaitLogLine("OFFERLESS offer RTP/AVP", WAIT).isPresent(),
                    "the browser's offer reached the phone as plain RTP: " + phone.logLines());
            assertMediaResumes(alice, 1000);
            assertTrue(phone.await(Duration.ofSeconds(30)).ok(), phone.logLines().toString());
            alice.waitEvent("ended", WAIT);
        } finally {
            alice.close();
        }
    }

    @Test
    void aForkedCallFollowsTheBranchThatAnswersAndReleasesTheOther() throws Exception {
        Page alice = registered("alice", "1000");
        try (Sipp.Running phone = Sipp.scenario("uas-forked.xml").args("-rtp_echo").start()) {
            alice.call("call", "sip:uas@" + phone.hostPort(), Map.of("video", false));
            alice.waitEvent("confirmed", WAIT);
            assertHearsTone(alice, 1000);
            assertTrue(phone.awaitLogLine("ACK to branch-b", WAIT).isPresent(), phone.logLines().toString());
            assertTrue(phone.awaitLogLine("ACK to branch-a", WAIT).isPresent(), "the second answer was acknowledged: "
                    + phone.logLines());
            assertTrue(phone.awaitLogLine("BYE to branch-a", WAIT).isPresent(), "and released: " + phone.logLines());
            assertEquals(1, api.calls().size(), api.calls().toString());
            assertHearsTone(alice, 1000);
            alice.call("hangup");
            assertTrue(phone.awaitLogLine("BYE to branch-b", WAIT).isPresent(), phone.logLines().toString());
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    @Test
    void twoBrowsersCallEachOtherThroughTheGatewayAndTheCore() throws Exception {
        Page alice = registered("alice", "1000");
        Page bob = registered("bob", "440");
        try {
            long mark = bob.mark();
            alice.call("call", "sip:bob@ims.example.test", Map.of("video", false));
            bob.waitEvent("newRTCSession", Map.of(), mark, WAIT);
            bob.call("answer", Map.of("video", false));
            alice.waitEvent("confirmed", WAIT);
            assertHearsTone(alice, 440);
            assertHearsTone(bob, 1000);
            assertEquals(2, api.calls().size(), "two B2BUA calls: alice's originating, bob's terminating");
            alice.call("hangup");
            bob.waitEvent("ended", WAIT);
        } finally {
            alice.close();
            bob.close();
        }
    }
}

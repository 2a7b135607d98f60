package org.webims.gateway.it.wwsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.MediaTestBase;
import org.webims.gateway.it.browser.JsonLike;
import org.webims.gateway.it.peers.Sipp;

/**
 * Calls made and taken through the softphone's own page (the WWSF at {@code /}) in headless Chromium, through the
 * gateway (B2BUA, rtpengine) and the IMS core (Kamailio), to and from SIPp phones and another page. Media is
 * measured by the page itself (getStats() every second, shown on its media line): packets both ways and energy in
 * the audio received.
 */
class SoftphoneCallsIT extends MediaTestBase {
    private static final Duration WAIT = Softphone.WAIT;
    private static PageDriver driver;

    @BeforeAll
    static void startBrowser() {
        driver = PageDriver.launch();
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.close();
        }
    }

    private static Softphone signedIn(String user, String tone) {
        Softphone phone = Softphone.open(driver, user, tone);
        phone.signInAs(user);
        return phone;
    }

    private static void assertMedia(JsonLike media, int minPackets) {
        assertTrue(media.get("in").asLong() >= minPackets && media.get("out").asLong() >= minPackets
                && media.get("energy").asDouble() > 0, "media both ways, with sound: " + media);
    }

    @Test
    void callsAPhoneHearsRingbackHoldsResumesSendsDtmfAndHangsUp() throws Exception {
        Softphone alice = signedIn("alice", "1000");
        try (RtpEchoPeer media = RtpEchoPeer.start();
             Sipp.Running phone = Sipp.scenario(PhoneScenarios.heldPhoneWithExternalMedia().toString())
                     .key("rtp_port", Integer.toString(media.port())).start()) {
            alice.dial("sip:uas@" + phone.hostPort());
            alice.waitCallState("ringing");
            alice.page().waitFor("#call[data-ringback=true]", WAIT);
            assertEquals("Ringing…", alice.callStatus());

            alice.waitCallState("active");
            assertMedia(alice.waitMedia(50), 50);
            assertTrue(media.packets() > 50, "the phone got the audio: " + media.packets());
            alice.page().waitUntil("() => document.getElementById('call-timer').textContent !== '0:00'", null, WAIT);
            alice.screenshot("wwsf-in-call");

            alice.hold();
            assertTrue(phone.awaitLogLine("HOLD offer sendonly", WAIT).isPresent(), phone.logLines().toString());
            assertEquals("On hold", alice.callStatus());
            alice.resume();
            assertTrue(phone.awaitLogLine("RESUME offer sendrecv", WAIT).isPresent(), phone.logLines().toString());
            long before = alice.packetsIn();
            alice.page().waitUntil("(n) => Number(document.getElementById('media-line').dataset.audioIn) > n + 50",
                    before, WAIT);

            alice.pressKeys("5#1");
            String digits = media.awaitDigits("5#1", WAIT);
            assertEquals("5#1", digits, "RFC 4733 events reached the phone (payload types "
                    + media.eventPayloadTypes() + ")");
            assertTrue(alice.page().text("#dtmf-sent").contains("Sent tone 1"));

            alice.hangup();
            alice.waitCallState("ended");
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
            assertTrue(alice.lastHistoryEntry().startsWith("To sip:uas@" + phone.hostPort() + ": answered"),
                    alice.lastHistoryEntry());
        } finally {
            alice.close();
        }
    }

    @Test
    void earlyMediaIsHeardBeforeTheAnswer() throws Exception {
        Softphone alice = signedIn("alice", "1000");
        try (Sipp.Running phone = Sipp.scenario(PhoneScenarios.earlyMediaPhone().toString())
                .args("-rtp_echo").start()) {
            alice.dial("sip:uas@" + phone.hostPort());
            alice.waitCallState("early");
            JsonLike early = alice.page().waitUntil("""
                    () => {
                      const call = document.getElementById('call');
                      const d = document.getElementById('media-line').dataset;
                      return call.dataset.state === 'early' && Number(d.audioIn) > 10
                          ? { state: call.dataset.state, in: Number(d.audioIn), ringback: call.dataset.ringback }
                          : false;
                    }""", null, WAIT);
            assertEquals("false", early.get("ringback").asString(), "no generated ringback over early media");
            alice.waitCallState("active");
            assertMedia(alice.waitMedia(50), 50);
            alice.hangup();
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    @Test
    void transfersACallBlindWithRefer() throws Exception {
        Softphone alice = signedIn("alice", "1000");
        try (Sipp.Running phone = Sipp.scenario(PhoneScenarios.transfereePhone().toString())
                .args("-rtp_echo").start()) {
            alice.dial("sip:uas@" + phone.hostPort());
            alice.waitCallState("active");
            assertMedia(alice.waitMedia(25), 25);
            alice.transferTo("sip:carol@ims.example.test");
            assertTrue(phone.awaitLogLine("<sip:carol@ims.example.test>", WAIT).orElse("").startsWith("REFER to"),
                    "the REFER reached the phone with the target: " + phone.logLines());
            alice.waitCallState("ended");
            assertEquals("Call transferred", alice.callStatus().replaceAll("\\..*", ""));
            assertTrue(phone.await(WAIT).ok(), "NOTIFYs answered and BYE received: " + phone.logLines());
            assertTrue(alice.lastHistoryEntry().contains(": transferred"), alice.lastHistoryEntry());
        } finally {
            alice.close();
        }
    }

    @Test
    void answersACallFromAPhoneWithMedia() throws Exception {
        Softphone alice = signedIn("alice", "1000");
        try (Sipp.Running caller = Sipp.scenario("uac-call.xml").remote(core.hostPort())
                .key("ruri", "sip:alice@ims.example.test").key("from", "sip:phone@ims.example.test")
                .args("-d", "6000", "-rtp_echo").start()) {
            String from = alice.waitIncoming();
            assertTrue(from.contains("phone@ims.example.test"), from);
            assertTrue(alice.page().attribute("#answer-video", "hidden") != null, "a voice call: no video answer");
            alice.screenshot("wwsf-incoming-call");
            alice.answer();
            alice.waitCallState("active");
            assertMedia(alice.waitMedia(50), 50);
            assertTrue(caller.await(Duration.ofSeconds(30)).ok(), caller.logLines().toString());
            alice.waitCallState("ended");
            assertTrue(alice.lastHistoryEntry().startsWith("From sip:phone@ims.example.test: answered"),
                    alice.lastHistoryEntry());
        } finally {
            alice.close();
        }
    }

    @Test
    void twoPagesCallEachOtherThroughTheGatewayAndTheCore() throws Exception {
        Softphone alice = signedIn("alice", "1000");
        Softphone bob = signedIn("bob", "440");
        try {
            alice.dial("bob");
            String from = bob.waitIncoming();
            assertTrue(from.contains("alice@ims.example.test"), from);
            bob.answer();
            alice.waitCallState("active");
            bob.waitCallState("active");
            assertMedia(alice.waitMedia(50), 50);
            assertMedia(bob.waitMedia(50), 50);
            assertEquals(2, api.calls().size(), "alice's originating and bob's terminating B2BUA calls");
            bob.screenshot("wwsf-in-call-page-to-page");
            alice.hangup();
            bob.waitCallState("ended");
            assertTrue(bob.lastHistoryEntry().startsWith("From sip:alice@ims.example.test: answered"),
                    bob.lastHistoryEntry());
        } finally {
            alice.close();
            bob.close();
        }
    }

    @Test
    void aVideoCallBetweenTwoPagesCarriesVideoBothWays() {
        Softphone alice = signedIn("alice", "1000");
        Softphone bob = signedIn("bob", "440");
        try {
            alice.dialVideo("bob");
            bob.waitIncoming();
            assertEquals("Video call", bob.page().text("#incoming-kind"));
            bob.page().click("#answer-video");
            alice.waitCallState("active");
            bob.waitCallState("active");
            String videoBothWays = """
                    () => {
                      const d = document.getElementById('media-line').dataset;
                      return Number(d.videoIn) > 20 && Number(d.videoOut) > 20 && Number(d.audioIn) > 20
                          ? { videoIn: Number(d.videoIn), videoOut: Number(d.videoOut) } : false;
                    }""";
            alice.page().waitUntil(videoBothWays, null, WAIT);
            bob.page().waitUntil(videoBothWays, null, WAIT);
            assertTrue(alice.page().isVisible("#remote-video"), "the remote video is shown");
            alice.screenshot("wwsf-video-call");
            bob.hangup();
            alice.waitCallState("ended");
        } finally {
            alice.close();
            bob.close();
        }
    }

    @Test
    void aDeclinedCallIsShownToTheCaller() {
        Softphone alice = signedIn("alice", "1000");
        Softphone bob = signedIn("bob", "440");
        try {
            alice.dial("sip:bob@ims.example.test");
            bob.waitIncoming();
            bob.decline();
            Softphone.Notice notice = alice.waitNotice();
            assertEquals("declined", notice.kind(), notice.toString());
            assertTrue(bob.lastHistoryEntry().startsWith("From sip:alice@ims.example.test: declined"),
                    bob.lastHistoryEntry());
        } finally {
            alice.close();
            bob.close();
        }
    }
}

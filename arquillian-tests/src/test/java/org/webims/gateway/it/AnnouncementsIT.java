package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.webims.gateway.it.browser.Browser;
import org.webims.gateway.it.browser.JsonLike;
import org.webims.gateway.it.browser.Page;
import org.webims.gateway.diameter.testpeer.ErlangOcs;
import org.webims.gateway.it.peers.ImsCore;
import org.webims.gateway.it.peers.MediaGatewayPeer;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.AdminApi;
import org.webims.gateway.it.support.GatewayDeployment;
import org.webims.gateway.it.support.PolicyAdmin;

/**
 * Network tones and announcements (TS 22.228 §11.2): a plain JsSIP page in Chromium, which knows nothing of the
 * gateway's statuses, hears why its call failed before the final response: the busy tone of the EU plan (425 Hz,
 * 0.5 s on, 0.5 s off) for a busy phone, a spoken announcement for a refusal by policy and for the refused emergency
 * call; the warning tone of the plan (1400 Hz) ten seconds before the final units of credit run out. The gateway is
 * deployed with announcements on (they are off for the other test classes, whose refusals would
 * otherwise each take seconds).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AnnouncementsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ALICE = "sip:alice@ims.example.test";
    private static final String WS = "ws://127.0.0.1:" + TestBed.HTTP_PORT + "/sip";
    private static ImsCore core;
    private static MediaGatewayPeer rtpengine;
    private static Browser browser;
    private static ErlangOcs ocs;
    private final AdminApi api = new AdminApi();
    private final PolicyAdmin policy = new PolicyAdmin();

    /** The operator's music on hold of this test: a 660 Hz tone, nothing like the callers' 1000 Hz. */
    private static final Path MUSIC = Path.of("target", "music-on-hold-660.wav").toAbsolutePath();

    @Deployment(testable = false)
    public static EnterpriseArchive deployment() throws Exception {
        writeSine(MUSIC, 660, 3);
        return GatewayDeployment.ear(Map.of("gateway.announcements.enabled", "true", "gateway.tones.plan", "eu",
                "gateway.announcements.music-on-hold", MUSIC.toString()));
    }

    /** 8 kHz 16-bit mono PCM WAV of a sine. */
    private static void writeSine(Path file, int hz, int seconds) throws Exception {
        int samples = 8000 * seconds;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * samples).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * samples).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(2 * samples);
        for (int n = 0; n < samples; n++) {
            b.putShort((short) (10000 * Math.sin(2 * Math.PI * hz * n / 8000.0)));
        }
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.write(file, b.array());
    }

    @BeforeAll
    static void startPeers() throws Exception {
        core = ImsCore.builder().port(TestBed.CORE_PORT).define("IMS_TRACE").start();
        rtpengine = MediaGatewayPeer.start();
        new AdminApi().awaitCoreState("UP", Duration.ofSeconds(15));
        browser = Browser.launch();
        ocs = ErlangOcs.start(TestBed.OCS_PORT); // online charging answers at once (the secondary stays away)
    }

    @AfterAll
    static void stopPeers() {
        if (browser != null) {
            browser.close();
        }
        if (ocs != null) {
            try {
                ocs.close();
            } catch (Exception e) {
                // stopped already
            }
        }
        if (rtpengine != null) {
            rtpengine.close();
        }
        if (core != null) {
            core.close();
        }
    }

    @BeforeEach
    void aliceHasCredit() throws Exception {
        ocs.balance(ALICE, 1000).grant(30); // else online charging refuses her calls (5030: 403)
    }

    @AfterEach
    void nothingLeft() throws Exception {
        policy.clear();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((!api.calls().isEmpty() || !rtpengine.sessions().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), api.calls(), "no live call remains");
        assertEquals(List.of(), rtpengine.sessions(), "rtpengine holds no session after the announcement");
    }

    private static Page registeredAlice() {
        return registered("alice", "1000");
    }

    private static Page registered(String user, String tone) {
        Page page = browser.open(user + "-" + System.nanoTime(), tone);
        page.call("register", Map.of("uri", "sip:" + user + "@ims.example.test", "authorizationUser",
                user + "@ims.example.test", "password", user + "-demo-secret", "wsUri", WS));
        return page;
    }



    /** The page's call got the gateway's early media and is not over yet: what it hears now comes before the end. */
    private static void awaitEarlyMedia(Page alice, long mark) {
        JsonLike progress = alice.waitEvent("progress", Map.of(), mark, WAIT);
        assertEquals(183, progress.get("status").asLong(), progress.toString());
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonLike stats = alice.call("stats");
        while (stats.get("inboundPackets").asLong() < 20 && System.nanoTime() < deadline) {
            stats = alice.call("stats");
        }
        assertTrue(stats.get("inboundPackets").asLong() >= 20, "media from the gateway before the end: " + stats);
    }

    private static boolean ended(Page alice, long mark) {
        return alice.events().stream().anyMatch(e -> List.of("failed", "ended")
                .contains(e.get("type").asStringOr("")) && e.get("seq").asLong() >= mark);
    }

    @Test
    void aBusyPhoneIsHeardAsTheBusyToneOfThePlanBeforeThe486() throws Exception {
        Page alice = registeredAlice();
        try (Sipp.Running phone = Sipp.scenario("uas-busy.xml").start()) {
            long mark = alice.mark();
            alice.call("call", "sip:uas@" + phone.hostPort(), Map.of("video", false));
            awaitEarlyMedia(alice, mark);
            JsonLike tone = alice.call(Duration.ofSeconds(10), "toneAnalysis", Map.of("sampleMs", 1000));
            assertTrue(!ended(alice, mark), "heard before the final response");
            assertEquals(425, tone.get("frequency").asDouble(), 425 * 0.03, "the EU busy tone: " + tone);
            JsonLike cadence = alice.call(Duration.ofSeconds(10), "cadenceAnalysis", Map.of("durationMs", 2000));
            assertEquals(500, cadence.get("onMs").asLong(), 120, "0.5 s on: " + cadence);
            assertEquals(500, cadence.get("offMs").asLong(), 120, "0.5 s off: " + cadence);
            JsonLike failed = alice.waitEvent("failed", Map.of(), mark, WAIT);
            assertEquals(486, failed.get("status").asLong(), "then the phone's own status: " + failed);
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    @Test
    void aRefusalByPolicyIsExplainedByAnAnnouncementBeforeThe403() throws Exception {
        policy.putDefault("{\"barredDestinations\": [\"+1900\"]}");
        assertSpokenThenRefused("sip:0019005550100@ims.example.test;user=phone", 403);
    }

    @Test
    void theRefusedEmergencyCallTellsTheUserToCallFromAPhoneBeforeThe380() throws Exception {
        assertSpokenThenRefused("sip:112@ims.example.test", 380);
    }

    @Test
    void theUserHearsTheWarningToneTenSecondsBeforeTheFinalUnitsRunOutAndTheCallEndsWithThem() throws Exception {
        ocs.balance(ALICE, 15).grant(30);
        Page alice = registeredAlice(); // her microphone: a 1000 Hz tone
        java.util.concurrent.ExecutorService listener = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (java.net.DatagramSocket ear = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
                Sipp.Running phone = Sipp.scenario("uas-listening.xml")
                        .args("-key", "rtpport", Integer.toString(ear.getLocalPort())).start()) {
            // what the phone hears, 200 ms at a time (one beep of the warning): the power at alice's 1000 Hz and at the
            // warning's 1400 Hz
            java.util.concurrent.Future<List<double[]>> phoneHeard = listener.submit(() -> {
                List<double[]> windows = new java.util.ArrayList<>();
                long until = System.nanoTime() + Duration.ofSeconds(16).toNanos();
                while (System.nanoTime() < until) {
                    List<Integer> samples = pcmu(ear, Duration.ofMillis(200));
                    if (samples.size() > 1200) {
                        windows.add(new double[] {goertzel(samples, 1000), goertzel(samples, 1400)});
                    }
                }
                return windows;
            });
            long mark = alice.mark();
            alice.call("call", "sip:uas@" + phone.hostPort(), Map.of("video", false));
            alice.waitEvent("confirmed", Map.of(), mark, WAIT);
            long answered = System.nanoTime();
            double heard = 0;
            long deadline = answered + Duration.ofSeconds(9).toNanos();
            while (System.nanoTime() < deadline && Math.abs(heard - 1400) > 40) {
                heard = alice.call(Duration.ofSeconds(5), "toneAnalysis", Map.of("sampleMs", 300, "minDb", -70))
                        .get("frequency").asDouble();
            }
            long warnedAfter = Duration.ofNanos(System.nanoTime() - answered).toMillis();
            assertEquals(1400, heard, 40, "the warning tone, heard by the WebRTC user");
            assertTrue(warnedAfter > 3000, "about 5 s after the answer (15 s of credit, warned 10 s before): "
                    + warnedAfter + " ms");
            JsonLike ended = alice.waitEvent("ended", Map.of(), mark, Duration.ofSeconds(20));
            long endedAfter = Duration.ofNanos(System.nanoTime() - answered).toMillis();
            assertEquals("remote", ended.get("originator").asStringOr(""), "released by the gateway: " + ended);
            assertEquals(15_000, endedAfter, 2_500, "the call ends when the 15 s are used");
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
            List<double[]> heardByPhone = phoneHeard.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(heardByPhone.stream().filter(w -> w[0] > 4 * w[1]).count() >= 40,
                    "the phone hears alice through the call: " + describe(heardByPhone));
            assertTrue(heardByPhone.stream().noneMatch(w -> w[1] > w[0] / 4),
                    "the IMS party never hears the warning: " + describe(heardByPhone));
        } finally {
            listener.shutdownNow();
            alice.close();
        }
    }

    private static String describe(List<double[]> windows) {
        return windows.stream().map(w -> String.format("%.1e/%.1e", w[0], w[1])).toList().toString();
    }

    @Test
    void theImsPhoneHearsTheMusicOnHoldWhileTheWebrtcUserHoldsTheCall() throws Exception {
        Page alice = registeredAlice(); // her microphone: a 1000 Hz tone
        try (java.net.DatagramSocket ear = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
                Sipp.Running phone = Sipp.scenario("uas-held.xml")
                        .args("-key", "rtpport", Integer.toString(ear.getLocalPort())).start()) {
            long mark = alice.mark();
            alice.call("call", "sip:uas@" + phone.hostPort(), Map.of("video", false));
            alice.waitEvent("confirmed", Map.of(), mark, WAIT);
            assertTrue(louder(ear, 1000, 660), "the phone hears alice before the hold");
            alice.call("hold");
            assertTrue(phone.awaitLogLine("HELD", WAIT).isPresent(), phone.logLines().toString());
            assertTrue(louder(ear, 660, 1000), "the phone hears the music on hold, not alice");
            alice.call("unhold");
            assertTrue(phone.awaitLogLine("RESUMED", WAIT).isPresent(), phone.logLines().toString());
            assertTrue(louder(ear, 1000, 660), "the phone hears alice again after the resume");
            alice.call("hangup");
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    /**
     * Whether, within 8 s, a second of the PCMU the phone receives has more of {@code hz} than of {@code other}
     * (Goertzel power of each over the decoded samples).
     */
    private static boolean louder(java.net.DatagramSocket ear, double hz, double other) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < deadline) {
            List<Integer> samples = pcmu(ear, Duration.ofSeconds(1));
            if (samples.size() > 4000 && goertzel(samples, hz) > 4 * goertzel(samples, other)) {
                return true;
            }
        }
        return false;
    }

    /** The samples of the PCMU RTP the socket receives during {@code span}, decoded. */
    private static List<Integer> pcmu(java.net.DatagramSocket ear, Duration span) throws java.io.IOException {
        ear.setSoTimeout(100);
        byte[] packet = new byte[2048];
        List<Integer> samples = new java.util.ArrayList<>();
        long window = System.nanoTime() + span.toNanos();
        while (System.nanoTime() < window) {
            java.net.DatagramPacket p = new java.net.DatagramPacket(packet, packet.length);
            try {
                ear.receive(p);
            } catch (java.net.SocketTimeoutException quiet) {
                continue;
            }
            if (p.getLength() > 12 && (packet[1] & 0x7f) == 0) { // RTP, payload type 0: PCMU
                for (int i = 12; i < p.getLength(); i++) {
                    samples.add(ulaw(packet[i]));
                }
            }
        }
        return samples;
    }

    private static double goertzel(List<Integer> samples, double hz) {
        double k = 2 * Math.cos(2 * Math.PI * hz / 8000);
        double s1 = 0;
        double s2 = 0;
        for (int x : samples) {
            double s0 = x + k * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - k * s1 * s2;
    }

    /** ITU-T G.711 mu-law to linear. */
    private static int ulaw(byte b) {
        int u = ~b & 0xff;
        int t = ((u & 0x0f) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }

    /** Speech: audio energy through most of the window, with the pauses between words, then the status. */
    private static void assertSpokenThenRefused(String target, int status) {
        Page alice = registeredAlice();
        try {
            long mark = alice.mark();
            alice.call("call", target, Map.of("video", false));
            awaitEarlyMedia(alice, mark);
            JsonLike heard = alice.call(Duration.ofSeconds(10), "cadenceAnalysis", Map.of("durationMs", 2000));
            assertTrue(heard.get("peak").asDouble() > 0.02 && heard.get("energy").asDouble() > 0.005,
                    "an announcement is heard: " + heard);
            assertTrue(!ended(alice, mark), "before the final response");
            JsonLike failed = alice.waitEvent("failed", Map.of(), mark, Duration.ofSeconds(30));
            assertEquals(status, failed.get("status").asLong(), failed.toString());
        } finally {
            alice.close();
        }
    }
}

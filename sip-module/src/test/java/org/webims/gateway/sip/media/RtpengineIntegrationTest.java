package org.webims.gateway.sip.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RtpengineMediaGateway} against a real rtpengine (userspace only, on 127.0.0.1, media ports 31000-31999),
 * with SDP as Chromium and SIP phones send it. Skipped where {@code /usr/bin/rtpengine} is not installed. Each test
 * uses its own call id; only the daemon is shared.
 */
class RtpengineIntegrationTest {
    private static final Path BINARY = Path.of("/usr/bin/rtpengine");
    private static final Duration ATTEMPT = Duration.ofMillis(300);

    /** Chrome's offer: Opus and RFC 4733 events only, ICE, DTLS, rtcp-mux, BUNDLE, extmap, msid, and video. */
    private static final String CHROME_OFFER = """
            v=0
            o=- 4611731400430051336 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0 1
            a=extmap-allow-mixed
            a=msid-semantic: WMS 6b8f1a0e-2c1d-4f0a-9a63-5f1d1c0e2b7a
            m=audio 9 UDP/TLS/RTP/SAVPF 111 110 126
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=candidate:1467250027 1 udp 2122260223 127.0.0.1 54400 typ host generation 0 network-id 1
            a=ice-ufrag:Gx3k
            a=ice-pwd:9fSrH7nW0sX2+9mZQk1aE4Jd
            a=ice-options:trickle
            a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
            a=setup:actpass
            a=mid:0
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=sendrecv
            a=msid:6b8f1a0e-2c1d-4f0a-9a63-5f1d1c0e2b7a 0c5a9d8e-7d1f-4b2e-8b6c-3e2f1a0d9c4b
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:111 opus/48000/2
            a=rtcp-fb:111 transport-cc
            a=fmtp:111 minptime=10;useinbandfec=1
            a=rtpmap:110 telephone-event/48000
            a=rtpmap:126 telephone-event/8000
            a=ssrc:3735928559 cname:Yq8n2Kc1Jf0xLw3T
            a=ssrc:3735928559 msid:6b8f1a0e-2c1d-4f0a-9a63-5f1d1c0e2b7a 0c5a9d8e-7d1f-4b2e-8b6c-3e2f1a0d9c4b
            m=video 9 UDP/TLS/RTP/SAVPF 96 97
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:Gx3k
            a=ice-pwd:9fSrH7nW0sX2+9mZQk1aE4Jd
            a=ice-options:trickle
            a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
            a=setup:actpass
            a=mid:1
            a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=sendrecv
            a=msid:6b8f1a0e-2c1d-4f0a-9a63-5f1d1c0e2b7a 1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6
            a=rtcp-mux
            a=rtcp-rsize
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 nack pli
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=ssrc-group:FID 2882400001 2882400002
            a=ssrc:2882400001 cname:Yq8n2Kc1Jf0xLw3T
            a=ssrc:2882400002 cname:Yq8n2Kc1Jf0xLw3T
            """;

    /** A narrowband phone's answer: PCMU only, video declined. */
    private static final String PHONE_ANSWER = """
            v=0
            o=phone 1000 1000 IN IP4 127.0.0.1
            s=-
            c=IN IP4 127.0.0.1
            t=0 0
            m=audio 40000 RTP/AVP 0
            a=rtpmap:0 PCMU/8000
            a=ptime:20
            a=sendrecv
            m=video 0 RTP/AVP 96
            """;

    /** A VoLTE phone's offer: AMR-WB, PCMU and RFC 4733 events, plain RTP. */
    private static final String PHONE_OFFER = """
            v=0
            o=phone 2000 2000 IN IP4 127.0.0.1
            s=-
            c=IN IP4 127.0.0.1
            t=0 0
            m=audio 40010 RTP/AVP 96 0 101
            a=rtpmap:96 AMR-WB/16000
            a=fmtp:96 octet-align=1
            a=rtpmap:0 PCMU/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            a=ptime:20
            a=sendrecv
            """;

    /** Chrome's answer to the offer rtpengine made from {@link #PHONE_OFFER}: Opus. */
    private static final String CHROME_ANSWER = """
            v=0
            o=- 8301985123412340001 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 1
            a=extmap-allow-mixed
            a=msid-semantic: WMS 11111111-2222-3333-4444-555555555555
            m=audio 9 UDP/TLS/RTP/SAVPF 97
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=candidate:1467250027 1 udp 2122260223 127.0.0.1 54410 typ host generation 0 network-id 1
            a=ice-ufrag:Ab12
            a=ice-pwd:cdEFghIJklMNopQRstUVwxYZ
            a=ice-options:trickle
            a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
            a=setup:active
            a=mid:1
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
            a=sendrecv
            a=msid:11111111-2222-3333-4444-555555555555 66666666-7777-8888-9999-000000000000
            a=rtcp-mux
            a=rtpmap:97 opus/48000/2
            a=fmtp:97 minptime=10;useinbandfec=1
            a=ssrc:1234567 cname:abcdefgh
            """;

    private static Process rtpengine;
    private static Path log;
    private static ExecutorService completions;
    private static NgClient client;
    private static MediaGateway gateway;

    @BeforeAll
    static void startRtpengine() throws Exception {
        assumeTrue(Files.isExecutable(BINARY), BINARY + " is not installed");
        int port = freeUdpPort();
        Files.createDirectories(Path.of("target"));
        log = Path.of("target", "rtpengine-integration.log");
        rtpengine = new ProcessBuilder(BINARY.toString(), "--config-file=none", "--foreground", "--log-stderr",
                "--table=-1", "--interface=127.0.0.1", "--listen-ng=127.0.0.1:" + port, "--port-min=31000",
                "--port-max=31999", "--timeout=60", "--delete-delay=0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        completions = Executors.newFixedThreadPool(2);
        client = NgClient.open(new NgSettings(new InetSocketAddress("127.0.0.1", port), 3, ATTEMPT), completions);
        gateway = new RtpengineMediaGateway(client, CodecPolicy.interworking());
        awaitReady();
    }

    @AfterAll
    static void stopRtpengine() throws Exception {
        if (client != null) {
            client.close();
        }
        if (completions != null) {
            completions.shutdownNow();
        }
        if (rtpengine != null) {
            rtpengine.destroy();
            if (!rtpengine.waitFor(5, TimeUnit.SECONDS)) {
                rtpengine.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void answersPing() throws Exception {
        await(gateway.ping());
    }

    @Test
    void aBrowserCallsAnImsPhoneThroughTranscoding() throws Exception {
        MediaLegs legs = new MediaLegs(newCallId(), "webrtc", "ims");

        String towardIms = await(gateway.offer(legs, crlf(CHROME_OFFER), Side.IMS));
        assertTrue(audioLine(towardIms).contains(" RTP/AVP "), audioLine(towardIms));
        for (String browserOnly : List.of("a=ice-", "a=candidate", "a=fingerprint", "a=setup", "a=extmap:",
                "a=rtcp-mux", "a=group:BUNDLE", "UDP/TLS")) {
            assertFalse(towardIms.contains(browserOnly), browserOnly + " left in\n" + towardIms);
        }
        assertTrue(towardIms.contains("a=rtpmap:0 PCMU/8000"), "PCMU offered by transcoding\n" + towardIms);
        assertTrue(towardIms.contains(" AMR-WB/16000"), towardIms);
        assertTrue(towardIms.contains(" opus/48000/2"), "the browser's own codec stays offered\n" + towardIms);
        assertTrue(Pattern.compile("(?m)^m=video [1-9]\\d* RTP/AVP ").matcher(towardIms).find(),
                "video relayed\n" + towardIms);
        assertTrue(Pattern.compile("(?m)^c=IN IP4 127\\.0\\.0\\.1").matcher(towardIms).find(), towardIms);

        String towardBrowser = await(gateway.answer(legs, crlf(PHONE_ANSWER), Side.WEBRTC));
        assertTrue(audioLine(towardBrowser).contains(" UDP/TLS/RTP/SAVPF "), audioLine(towardBrowser));
        assertTrue(Pattern.compile("(?m)^a=setup:(active|passive)\r?$").matcher(towardBrowser).find(), towardBrowser);
        assertTrue(towardBrowser.contains("a=fingerprint:sha-256 "), towardBrowser);
        assertTrue(towardBrowser.contains("a=rtcp-mux"), towardBrowser);
        assertTrue(towardBrowser.contains("a=ice-ufrag:"), towardBrowser);
        assertTrue(towardBrowser.contains("a=candidate:"), towardBrowser);
        assertFalse(towardBrowser.contains("a=crypto"), towardBrowser);
        assertTrue(towardBrowser.contains("opus/48000/2"), "Opus toward the browser, PCMU toward the phone\n"
                + towardBrowser);
        assertTrue(towardBrowser.contains("m=video 0 "), "video declined by the phone\n" + towardBrowser);

        assertTrue(await(gateway.list()).contains(legs.callId()));
        MediaStats stats = await(gateway.query(legs));
        assertEquals(Optional.of(Side.WEBRTC), stats.leg("webrtc").orElseThrow().side());
        assertEquals(Optional.of(Side.IMS), stats.leg("ims").orElseThrow().side());

        await(gateway.delete(legs));
        assertFalse(await(gateway.list()).contains(legs.callId()));
    }

    @Test
    void anImsPhoneCallsTheBrowser() throws Exception {
        MediaLegs legs = new MediaLegs(newCallId(), "ims", "webrtc");

        String towardBrowser = await(gateway.offer(legs, crlf(PHONE_OFFER), Side.WEBRTC));
        assertTrue(audioLine(towardBrowser).contains(" UDP/TLS/RTP/SAVPF "), audioLine(towardBrowser));
        assertTrue(towardBrowser.contains("a=setup:actpass"), towardBrowser);
        assertTrue(towardBrowser.contains("a=fingerprint:sha-256 "), towardBrowser);
        assertTrue(towardBrowser.contains("a=ice-ufrag:"), towardBrowser);
        assertTrue(towardBrowser.contains("a=rtcp-mux"), towardBrowser);
        assertTrue(towardBrowser.contains("a=mid:"), towardBrowser);
        assertFalse(towardBrowser.contains("a=crypto"), towardBrowser);
        assertTrue(towardBrowser.contains(" opus/48000/2"), "Opus added for the browser\n" + towardBrowser);

        String towardIms = await(gateway.answer(legs, crlf(CHROME_ANSWER), Side.IMS));
        assertTrue(audioLine(towardIms).contains(" RTP/AVP "), audioLine(towardIms));
        for (String browserOnly : List.of("a=ice-", "a=candidate", "a=fingerprint", "a=setup", "a=extmap:",
                "a=rtcp-mux", "a=group:BUNDLE", "opus")) {
            assertFalse(towardIms.contains(browserOnly), browserOnly + " left in\n" + towardIms);
        }
        assertTrue(towardIms.contains("AMR-WB/16000"), "the phone's codec, transcoded from Opus\n" + towardIms);

        await(gateway.delete(legs));
    }

    @Test
    void playsAToneToTheBrowser(@TempDir Path dir) throws Exception {
        MediaLegs legs = new MediaLegs(newCallId(), "webrtc", "ims");
        await(gateway.offer(legs, crlf(CHROME_OFFER), Side.IMS));
        await(gateway.answer(legs, crlf(PHONE_ANSWER), Side.WEBRTC));
        Path tone = writeTone(dir.resolve("tone.wav"), 1000, Duration.ofSeconds(1));

        assertEquals(Optional.of(Duration.ofSeconds(1)), await(gateway.play(legs, Side.WEBRTC, tone)));

        Throwable missing = failure(gateway.play(legs, Side.IMS, dir.resolve("missing.wav")));
        assertInstanceOf(MediaGatewayException.class, missing);
        await(gateway.delete(legs));
    }

    @Test
    void refusalsCarryRtpenginesReason() {
        MediaLegs unknown = new MediaLegs(newCallId(), "webrtc", "ims");
        Throwable cause = failure(gateway.answer(unknown, crlf(PHONE_ANSWER), Side.WEBRTC));
        assertInstanceOf(MediaGatewayException.class, cause);
        assertTrue(cause.getMessage().toLowerCase().contains("unknown call-id"), cause.getMessage());
    }

    @Test
    void deletingAnUnknownSessionSucceeds() throws Exception {
        await(gateway.delete(new MediaLegs(newCallId(), "webrtc", null)));
    }

    @Test
    void anUnreachableNgAddressFailsWithinTheTimeout() throws Exception {
        InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", freeUdpPort());
        try (NgClient lonely = NgClient.open(new NgSettings(nobody, 3, ATTEMPT), completions)) {
            long start = System.nanoTime();
            CompletableFuture<Void> ping = new RtpengineMediaGateway(lonely, CodecPolicy.passthrough()).ping();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> ping.get(3 * ATTEMPT.toMillis() + 2_000, TimeUnit.MILLISECONDS));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals("rtpengine at 127.0.0.1:" + nobody.getPort() + " did not answer 'ping' (3 attempts, 300 ms"
                    + " each)", e.getCause().getMessage());
            assertTrue(elapsedMs < 3 * ATTEMPT.toMillis() + 1_000, "failed after " + elapsedMs + " ms");
        }
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                gateway.ping().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!rtpengine.isAlive() || System.nanoTime() > deadline) {
                    fail("rtpengine did not start: " + e.getCause().getMessage() + "\n" + Files.readString(log));
                }
            }
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        }
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS)).getCause();
    }

    private static String crlf(String sdp) {
        return sdp.replace("\n", "\r\n");
    }

    private static String audioLine(String sdp) {
        return sdp.lines().filter(l -> l.startsWith("m=audio")).findFirst().orElse("no m=audio in\n" + sdp);
    }

    private static String newCallId() {
        return "it-" + UUID.randomUUID();
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }

    /** A mono 8 kHz 16-bit PCM WAV (RIFF) of a sine tone. */
    private static Path writeTone(Path file, int hertz, Duration length) throws IOException {
        int rate = 8000;
        int samples = (int) (rate * length.toMillis() / 1000);
        ByteBuffer wav = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + 2 * samples).put("WAVE".getBytes());
        wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate)
                .putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes()).putInt(2 * samples);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) (8000 * Math.sin(2 * Math.PI * hertz * i / rate)));
        }
        return Files.write(file, wav.array());
    }
}

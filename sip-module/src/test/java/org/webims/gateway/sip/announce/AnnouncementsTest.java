package org.webims.gateway.sip.announce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which failure plays what, the tone plans and the files the media gateway is given. */
class AnnouncementsTest {

    @Test
    void finalStatusesMapToTheCausesAUserIsTold() {
        assertEquals(Optional.of(FailureCause.BUSY), FailureCause.of(486));
        assertEquals(Optional.of(FailureCause.CONGESTION), FailureCause.of(503));
        assertEquals(Optional.of(FailureCause.NOT_FOUND), FailureCause.of(404));
        assertEquals(Optional.of(FailureCause.UNAVAILABLE), FailureCause.of(480));
        assertEquals(Optional.of(FailureCause.REFUSED), FailureCause.of(403));
        assertEquals(Optional.of(FailureCause.EMERGENCY), FailureCause.of(380));
        assertEquals(Optional.of(FailureCause.NO_CREDIT), FailureCause.of(402));
        assertEquals(Optional.empty(), FailureCause.of(487), "the caller cancelled: nothing to tell");
        assertEquals(Optional.empty(), FailureCause.of(488));
    }

    @Test
    void byDefaultTonesForBusyAndCongestionAndAnnouncementsForTheRestOverriddenPerCause() {
        assertEquals(Playback.TONE, Announcements.defaultPlaybacks().get(FailureCause.BUSY));
        assertEquals(Playback.ANNOUNCEMENT, Announcements.defaultPlaybacks().get(FailureCause.EMERGENCY));
        var set = Announcements.parseOnFailure("busy=announcement, refused=none");
        assertEquals(Playback.ANNOUNCEMENT, set.get(FailureCause.BUSY));
        assertEquals(Playback.NONE, set.get(FailureCause.REFUSED));
        assertEquals(Playback.TONE, set.get(FailureCause.CONGESTION));
        assertThrows(IllegalArgumentException.class, () -> Announcements.parseOnFailure("busy"));
        assertThrows(IllegalArgumentException.class, () -> Announcements.parseOnFailure("nobody=tone"));
        assertThrows(IllegalArgumentException.class, () -> Announcements.parseOnFailure("busy=loud"));
    }

    @Test
    void theTonePlansFollowE180() {
        assertEquals(List.of(425), TonePlan.named("eu").busy().frequenciesHz());
        assertEquals(List.of(480, 620), TonePlan.named("US").busy().frequenciesHz());
        assertEquals(List.of(400, 350, 225, 525), TonePlan.named("uk").congestion().cadenceMs());
        assertThrows(IllegalArgumentException.class, () -> TonePlan.named("mars"));
        Tone busy = TonePlan.EU.busy();
        assertTrue(busy.onAt(0) && busy.onAt(499) && !busy.onAt(500) && !busy.onAt(999) && busy.onAt(1000));
    }

    @Test
    void aToneFileSoundsWhereItsCadenceIsOnAndIsSilentElsewhere() {
        byte[] wav = WavFile.tone(TonePlan.EU.busy(), Duration.ofSeconds(2));
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(44 + 2 * 2 * WavFile.RATE, wav.length, "16-bit, mono, 2 s");
        assertEquals(WavFile.RATE, b.getInt(24));
        int half = WavFile.RATE / 2;
        assertTrue(peak(b, 0, half) > 8000, "on during the first half second");
        assertEquals(0, peak(b, half, 2 * half), "off during the second");
        int crossings = 0; // 425 Hz: 850 zero crossings a second, 425 in 0.5 s
        for (int n = 1; n < half; n++) {
            if ((b.getShort(44 + 2 * (n - 1)) < 0) != (b.getShort(44 + 2 * n) < 0)) {
                crossings++;
            }
        }
        assertEquals(425, crossings, 3);
    }

    private static int peak(ByteBuffer b, int from, int to) {
        int peak = 0;
        for (int n = from; n < to; n++) {
            peak = Math.max(peak, Math.abs(b.getShort(44 + 2 * n)));
        }
        return peak;
    }

    @Test
    void theLengthOfAWavComesFromItsHeader(@TempDir Path dir) throws Exception {
        Path tone = Files.write(dir.resolve("t.wav"), WavFile.tone(TonePlan.US.congestion(), Duration.ofMillis(1500)));
        assertEquals(Optional.of(Duration.ofMillis(1500)), WavFile.length(tone));
        Path text = Files.writeString(dir.resolve("x.wav"), "not a wave");
        assertEquals(Optional.empty(), WavFile.length(text));
    }

    @Test
    void filesAreTheOperatorsWhereGivenTheShippedOnesOtherwiseAndTonesFromThePlan(@TempDir Path dir)
            throws Exception {
        Path own = Files.createDirectories(dir.resolve("operator"));
        Files.write(own.resolve("not-found.wav"), WavFile.tone(TonePlan.EU.busy(), Duration.ofMillis(100)));
        Announcements announcements = Announcements.prepare(new Announcements.Settings(TonePlan.UK,
                Announcements.parseOnFailure("refused=none"), own, dir.resolve("work"), Duration.ofMillis(500)));
        Path busy = announcements.onFailure(486).orElseThrow();
        assertEquals("uk-busy.wav", busy.getFileName().toString());
        assertTrue(Files.size(busy) > 40_000, "4 s of tone");
        assertEquals(own.resolve("not-found.wav").toAbsolutePath(), announcements.onFailure(404).orElseThrow());
        Path emergency = announcements.onFailure(380).orElseThrow();
        assertEquals(dir.resolve("work/announcements/emergency.wav"), emergency, "the shipped one");
        assertTrue(WavFile.length(emergency).orElseThrow().toSeconds() >= 3, "spoken at build time");
        assertFalse(announcements.onFailure(403).isPresent(), "refused=none");
        assertFalse(announcements.onFailure(487).isPresent());
        assertFalse(Announcements.none().onFailure(486).isPresent());
        assertEquals(Duration.ofMillis(500), announcements.settle());
    }

    @Test
    void theStandInAnswerTakesTheFirstAudioCodecSendOnlyAndDeclinesTheRest() {
        String offer = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                "m=audio 30000 RTP/AVP 8 0 101", "a=rtpmap:8 PCMA/8000", "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:101 telephone-event/8000", "m=video 30002 RTP/AVP 96", "a=rtpmap:96 H264/90000", "");
        String answer = AnnouncerSdp.answerTo(offer);
        assertTrue(answer.contains("m=audio 9 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendonly\r\n"), answer);
        assertTrue(answer.contains("m=video 0 RTP/AVP 96"), answer);
        assertThrows(IllegalArgumentException.class, () -> AnnouncerSdp.answerTo("v=0\r\nm=video 1 RTP/AVP 96\r\n"));
    }

    @Test
    void aHoldIsTheAudioSentOnlyOrInactiveOrTheOldZeroAddress() {
        String head = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
        assertTrue(HoldOffer.holds(head + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=sendonly\r\n"));
        assertTrue(HoldOffer.holds(head + "a=inactive\r\nm=audio 4000 RTP/AVP 0\r\n"), "the session's direction");
        assertTrue(HoldOffer.holds(head + "c=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n"), "RFC 2543");
        assertFalse(HoldOffer.holds(head + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n"),
                "a WebRTC resume: 0.0.0.0 with ICE is not a hold");
        assertFalse(HoldOffer.holds(head + "a=sendonly\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n"
                + "m=video 4002 RTP/AVP 96\r\na=inactive\r\n"), "the audio stream's own attribute wins");
    }
}

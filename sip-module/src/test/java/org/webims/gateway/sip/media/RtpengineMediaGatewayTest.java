package org.webims.gateway.sip.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class RtpengineMediaGatewayTest {

    /** Records each command and answers with the next canned reply. */
    private static final class RecordingNg implements NgCommands {
        final List<Map<String, Object>> requests = new ArrayList<>();
        Map<String, Object> reply = Map.of("result", "ok", "sdp", "v=0\r\n");

        @Override
        public CompletableFuture<Map<String, Object>> command(Map<String, Object> request) {
            requests.add(Map.copyOf(request));
            return CompletableFuture.completedFuture(reply);
        }

        Map<String, Object> last() {
            return requests.get(requests.size() - 1);
        }
    }

    private final RecordingNg ng = new RecordingNg();
    private final RtpengineMediaGateway gateway = new RtpengineMediaGateway(ng, CodecPolicy.interworking());
    private final MediaLegs legs = new MediaLegs("call-1", "webrtc", "ims");

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, future::get).getCause();
    }

    @Test
    void offerFromTheBrowserTowardImsUsesTheTestBedFlagsAndTranscodes() throws Exception {
        assertEquals("v=0\r\n", gateway.offer(legs, "browser sdp", Side.IMS).get());
        assertEquals(Map.ofEntries(
                Map.entry("command", "offer"),
                Map.entry("call-id", "call-1"),
                Map.entry("from-tag", "webrtc"),
                Map.entry("to-tag", "ims"),
                Map.entry("sdp", "browser sdp"),
                Map.entry("label", "webrtc"),
                Map.entry("ICE", "remove"),
                Map.entry("DTLS", "off"),
                Map.entry("transport-protocol", "RTP/AVP"),
                Map.entry("rtcp-mux", List.of("demux")),
                Map.entry("replace", List.of("origin", "session-connection")),
                Map.entry("flags", List.of("strip-extmap")),
                Map.entry("codec", Map.of("transcode", List.of("PCMU", "PCMA", "AMR-WB", "AMR", "telephone-event")))),
                ng.last());
    }

    @Test
    void answerFromImsBackToTheBrowser() throws Exception {
        gateway.answer(legs, "phone sdp", Side.WEBRTC).get();
        assertEquals(Map.of("command", "answer", "call-id", "call-1", "from-tag", "webrtc", "to-tag", "ims",
                "sdp", "phone sdp", "label", "ims", "ICE", "force", "rtcp-mux", List.of("require")), ng.last());
    }

    @Test
    void offerFromImsTowardTheBrowser() throws Exception {
        MediaLegs fromIms = MediaLegs.offered("call-2", "ims");
        gateway.offer(fromIms, "phone sdp", Side.WEBRTC).get();
        assertEquals(map("command", "offer", "call-id", "call-2", "from-tag", "ims", "sdp", "phone sdp",
                "label", "ims", "ICE", "force", "transport-protocol", "UDP/TLS/RTP/SAVPF",
                "rtcp-mux", List.of("offer", "require"), "flags", List.of("generate-mid"), "SDES", List.of("off"),
                "codec", Map.of("transcode", List.of("opus", "PCMU"))), ng.last());
        assertFalse(ng.last().containsKey("to-tag"));
    }

    @Test
    void answerFromTheBrowserBackTowardIms() throws Exception {
        gateway.answer(new MediaLegs("call-2", "ims", "webrtc"), "browser sdp", Side.IMS).get();
        assertEquals(map("command", "answer", "call-id", "call-2", "from-tag", "ims", "to-tag", "webrtc",
                "sdp", "browser sdp", "label", "webrtc", "ICE", "remove", "DTLS", "off",
                "rtcp-mux", List.of("demux"), "replace", List.of("origin", "session-connection"),
                "flags", List.of("strip-extmap")), ng.last());
    }

    private static final String BROWSER_REOFFER = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0 126\r\n"
            + "a=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:126 telephone-event/8000\r\n";

    @Test
    void aReofferCarryingTheCodecInUseAddsNothingSoTheMediaStaysRelayed() throws Exception {
        gateway.reoffer(legs, BROWSER_REOFFER, Side.IMS, List.of("PCMU", "telephone-event")).get();
        assertFalse(ng.last().containsKey("codec"), "no transcoding while the re-offer is pending: " + ng.last());
        assertEquals("RTP/AVP", ng.last().get("transport-protocol"));
        assertEquals(BROWSER_REOFFER, ng.last().get("sdp"));
    }

    @Test
    void aReofferWithoutTheCodecInUseAddsThatCodecOnly() throws Exception {
        String opusOnly = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n";
        gateway.reoffer(legs, opusOnly, Side.IMS, List.of("AMR-WB", "telephone-event")).get();
        assertEquals(Map.of("transcode", List.of("AMR-WB", "telephone-event")), ng.last().get("codec"));
    }

    @Test
    void aReofferTowardTheBrowserKeepsItsCodec() throws Exception {
        String amrWb = "v=0\r\nm=audio 6000 RTP/AVP 96\r\na=rtpmap:96 AMR-WB/16000\r\n";
        gateway.reoffer(legs.reversed(), amrWb, Side.WEBRTC, List.of("opus")).get();
        assertEquals(Map.of("transcode", List.of("opus")), ng.last().get("codec"));
        gateway.reoffer(legs.reversed(), BROWSER_REOFFER, Side.WEBRTC, List.of("PCMU")).get();
        assertFalse(ng.last().containsKey("codec"));
    }

    @Test
    void maskedCodecsAndPassthrough() throws Exception {
        var masking = new RtpengineMediaGateway(ng, new CodecPolicy(List.of("PCMU"), List.of("opus"), List.of()));
        masking.offer(legs, "sdp", Side.IMS).get();
        assertEquals(Map.of("transcode", List.of("PCMU"), "mask", List.of("opus")), ng.last().get("codec"));
        masking.offer(legs.reversed(), "sdp", Side.WEBRTC).get();
        assertFalse(ng.last().containsKey("codec"));

        new RtpengineMediaGateway(ng, CodecPolicy.passthrough()).offer(legs, "sdp", Side.IMS).get();
        assertFalse(ng.last().containsKey("codec"));
    }

    @Test
    void anAnswerWithoutTheAnswerersTagFailsWithoutAsking() {
        Throwable cause = failure(gateway.answer(MediaLegs.offered("call-1", "webrtc"), "sdp", Side.WEBRTC));
        assertInstanceOf(MediaGatewayException.class, cause);
        assertTrue(ng.requests.isEmpty());
    }

    @Test
    void aReplyWithoutSdpIsAFailure() {
        ng.reply = Map.of("result", "ok");
        assertTrue(failure(gateway.offer(legs, "sdp", Side.IMS)).getMessage().contains("carries no SDP"));
    }

    @Test
    void failuresOfTheNgClientPassThrough() {
        MediaGatewayException refused = new MediaGatewayException("rtpengine refused 'offer': Failed to parse SDP");
        RtpengineMediaGateway failing = new RtpengineMediaGateway(r -> CompletableFuture.failedFuture(refused),
                CodecPolicy.interworking());
        assertEquals(refused, failure(failing.offer(legs, "garbage", Side.IMS)));
    }

    @Test
    void deleteNamesTheSessionByCallIdAndFromTag() throws Exception {
        ng.reply = Map.of("result", "ok", "warning", "Call-ID not found or tags didn't match");
        gateway.delete(legs).get();
        assertEquals(Map.of("command", "delete", "call-id", "call-1", "from-tag", "webrtc"), ng.last());
    }

    @Test
    void pingAndList() throws Exception {
        ng.reply = Map.of("result", "pong");
        gateway.ping().get();
        assertEquals(Map.of("command", "ping"), ng.last());

        ng.reply = Map.of("result", "ok", "calls", List.of("call-1", "call-2"));
        assertEquals(List.of("call-1", "call-2"), gateway.list().get());
        assertEquals(Map.of("command", "list", "limit", (long) RtpengineMediaGateway.LIST_LIMIT), ng.last());
    }

    @Test
    void playAddressesTheSideByLabel() throws Exception {
        ng.reply = Map.of("result", "ok", "duration", 1000L);
        Optional<Duration> length = gateway.play(legs, Side.WEBRTC, Path.of("/srv/tones/ringback.wav")).get();
        assertEquals(Optional.of(Duration.ofSeconds(1)), length);
        assertEquals(Map.of("command", "play media", "call-id", "call-1", "label", "webrtc",
                "file", "/srv/tones/ringback.wav"), ng.last());

        ng.reply = Map.of("result", "ok");
        assertEquals(Optional.empty(), gateway.play(legs, Side.IMS, Path.of("/srv/tones/a.wav")).get());
    }

    @Test
    void queryCountsPacketsPerLeg() throws Exception {
        Map<String, Object> rtp = Map.of("stats", Map.of("packets", 50L, "bytes", 8600L, "errors", 0L));
        Map<String, Object> rtcp = Map.of("stats", Map.of("packets", 2L, "bytes", 160L, "errors", 1L));
        ng.reply = Map.of("result", "ok", "tags", Map.of(
                "webrtc", Map.of("tag", "webrtc", "label", "webrtc",
                        "medias", List.of(Map.of("streams", List.of(rtp, rtcp)), Map.of("streams", List.of()))),
                "ims", Map.of("tag", "ims", "label", "ims", "medias", List.of(Map.of("streams", List.of(rtp)))),
                "other", Map.of("tag", "other")));
        MediaStats stats = gateway.query(legs).get();
        assertEquals(Map.of("command", "query", "call-id", "call-1"), ng.last());
        assertEquals(new MediaStats.LegStats("webrtc", Optional.of(Side.WEBRTC), 52, 8760, 1),
                stats.leg(Side.WEBRTC).orElseThrow());
        assertEquals(50, stats.leg("ims").orElseThrow().packets());
        assertEquals(new MediaStats.LegStats("other", Optional.empty(), 0, 0, 0), stats.leg("other").orElseThrow());
    }
}

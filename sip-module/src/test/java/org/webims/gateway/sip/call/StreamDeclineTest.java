package org.webims.gateway.sip.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamDeclineTest {
    private static final String WEBRTC = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE 0 1", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0",
            "a=rtpmap:111 opus/48000/2", "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:1",
            "a=bundle-only", "a=rtpmap:96 VP8/90000", "") + "\r\n";

    @Test
    void kindsInOrder() {
        assertEquals(Set.of("audio", "video"), StreamDecline.kinds(WEBRTC));
        assertTrue(StreamDecline.kinds(null).isEmpty());
    }

    @Test
    void videoGetsPortZeroAndLeavesTheBundleGroup() {
        String declined = StreamDecline.decline(WEBRTC, Set.of("video"));
        assertTrue(declined.contains("\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\n"), declined);
        assertTrue(declined.contains("\r\na=group:BUNDLE 0\r\n"), declined);
        assertTrue(declined.contains("\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"), "audio untouched");
        assertFalse(declined.contains("a=bundle-only"), declined);
        assertTrue(declined.endsWith("\r\n"));
        assertEquals(SdpSummary.parse(declined).describe(), "audio: opus; video: declined");
    }

    @Test
    void aGroupLeftEmptyIsDropped() {
        String audioOnlyGroup = WEBRTC.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 1");
        assertFalse(StreamDecline.decline(audioOnlyGroup, Set.of("video")).contains("a=group:BUNDLE"));
    }

    @Test
    void nothingToDeclineKeepsTheBody() {
        String audio = "v=0\r\nm=audio 4000 RTP/AVP 0\r\n";
        assertSame(audio, StreamDecline.decline(audio, Set.of("video")));
        assertSame(audio, StreamDecline.decline(audio, Set.of()));
    }
}

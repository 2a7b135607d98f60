package org.webims.gateway.sip.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnswerCompletionTest {
    private static final String OFFER = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 0", "c=IN IP4 0.0.0.0", "a=rtpmap:111 opus/48000/2",
            "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=rtpmap:96 VP8/90000", "") + "\r\n";

    @Test
    void aMissingStreamIsAnsweredWithPortZero() {
        String answer = String.join("\r\n", "v=0", "o=- 2 2 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1",
                "t=0 0", "m=audio 20000 RTP/AVP 0", "") + "\r\n";
        String completed = AnswerCompletion.complete(OFFER, answer);
        assertTrue(completed.startsWith(answer), completed);
        assertTrue(completed.endsWith("m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"), completed);
    }

    @Test
    void aDecliningAnswerHasEveryStreamOfTheOfferAtPortZero() {
        String declining = AnswerCompletion.declining(OFFER);
        assertTrue(declining.startsWith("v=0\r\n"), declining);
        assertTrue(declining.contains("\r\nm=audio 0 UDP/TLS/RTP/SAVPF 111\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\n"),
                declining);
        assertEquals("audio: declined; video: declined", SdpSummary.parse(declining).describe());
    }
}

package org.webims.gateway.sip.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpLinesTest {
    private static final List<String> BODIES = List.of("", "v=0", "v=0\r\n", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n",
            "v=0\no=x\n", "v=0\r\n\r\n", "\r\n", "\n", "\n\nv=0", "a\r\r\nb", "a\rb\r\n", "a\r", "\r", "a\n\r\n\r\n",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\nm=video 0 RTP/AVP 96\r\n", "x\r\n\r\ny");

    @Test
    void splitsAsTheRegularExpressionDid() {
        for (String sdp : BODIES) {
            assertArrayEquals(sdp.split("\r?\n"), SdpLines.of(sdp), () -> "split of " + sdp.replace("\r", "\\r")
                    .replace("\n", "\\n"));
            assertArrayEquals(sdp.split("\r?\n", -1), SdpLines.withTrailingEmpty(sdp), () -> "split -1 of "
                    + sdp.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }
}

package org.webims.gateway.bench.load;

import java.util.concurrent.ThreadLocalRandom;

/**
 * An SDP offer shaped like Chrome's for an audio call (JSEP): BUNDLE, ICE credentials and a host candidate,
 * a DTLS sha-256 fingerprint with {@code setup:actpass}, {@code UDP/TLS/RTP/SAVPF}, rtcp-mux, Opus and RFC 4733
 * events. Each call gets its own session id, ICE credentials and port.
 */
public final class WebrtcOffer {
    private static final String FINGERPRINT = "7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:"
            + "C2:43:F0:A1:58:D0:A1:2C:19:08";

    private WebrtcOffer() {}

    public static String create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long session = random.nextLong(1, Long.MAX_VALUE);
        int port = 40000 + random.nextInt(20000);
        String ufrag = Long.toString(random.nextLong(1L << 20, 1L << 24), 36);
        String pwd = Long.toString(random.nextLong(Long.MAX_VALUE / 2, Long.MAX_VALUE), 36)
                + Long.toString(random.nextLong(1L << 40, 1L << 50), 36);
        return "v=0\r\n"
                + "o=- " + session + " 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "a=extmap-allow-mixed\r\n"
                + "a=msid-semantic: WMS bench\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 126\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=candidate:1 1 udp 2122260223 127.0.0.1 " + port + " typ host generation 0\r\n"
                + "a=ice-ufrag:" + ufrag + "\r\n"
                + "a=ice-pwd:" + pwd + "\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 " + FINGERPRINT + "\r\n"
                + "a=setup:actpass\r\n"
                + "a=mid:0\r\n"
                + "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
                + "a=sendrecv\r\n"
                + "a=msid:bench track1\r\n"
                + "a=rtcp-mux\r\n"
                + "a=rtpmap:111 opus/48000/2\r\n"
                + "a=rtcp-fb:111 transport-cc\r\n"
                + "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
                + "a=rtpmap:126 telephone-event/8000\r\n"
                + "a=ssrc:" + random.nextInt(1, Integer.MAX_VALUE) + " cname:webims-bench\r\n";
    }
}

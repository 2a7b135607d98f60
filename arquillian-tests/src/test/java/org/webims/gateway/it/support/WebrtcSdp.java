package org.webims.gateway.it.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SDP as Chrome writes it (ICE, DTLS-SRTP, rtcp-mux, BUNDLE, extmap, msid), for clients written in Java. */
public final class WebrtcSdp {
    private WebrtcSdp() {}

    /** An Opus offer with RFC 4733 events. */
    public static String opusOffer() {
        return String.join("\r\n",
                "v=0",
                "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE 0",
                "a=extmap-allow-mixed",
                "a=msid-semantic: WMS stream1",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111 126",
                "c=IN IP4 0.0.0.0",
                "a=rtcp:9 IN IP4 0.0.0.0",
                "a=candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host generation 0",
                "a=ice-ufrag:Jx4r",
                "a=ice-pwd:U7kq0fG2pL9sT3vW8yZ1bC4d",
                "a=ice-options:trickle",
                "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
                "a=setup:actpass",
                "a=mid:0",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=sendrecv",
                "a=msid:stream1 track1",
                "a=rtcp-mux",
                "a=rtpmap:111 opus/48000/2",
                "a=rtcp-fb:111 transport-cc",
                "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=rtpmap:126 telephone-event/8000",
                "a=ssrc:1001 cname:webims-it",
                "") ;
    }

    /** The Opus offer with a VP8 video stream bundled with it (mid 1), as Chrome offers a video call. */
    public static String audioVideoOffer() {
        return opusOffer().replace("a=group:BUNDLE 0", "a=group:BUNDLE 0 1") + String.join("\r\n",
                "m=video 9 UDP/TLS/RTP/SAVPF 96",
                "c=IN IP4 0.0.0.0",
                "a=rtcp:9 IN IP4 0.0.0.0",
                "a=ice-ufrag:Jx4r",
                "a=ice-pwd:U7kq0fG2pL9sT3vW8yZ1bC4d",
                "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
                "a=setup:actpass",
                "a=mid:1",
                "a=sendrecv",
                "a=msid:stream1 track2",
                "a=rtcp-mux",
                "a=rtpmap:96 VP8/90000",
                "a=ssrc:1002 cname:webims-it",
                "");
    }

    /**
     * Chrome's answer to an offer whose second stream (video) came declined: {@link #answerTo} for the audio, then
     * the video m-line at port 0 (RFC 3264 §6: every offered stream is answered, a declined one with port 0).
     */
    public static String answerDecliningVideo(String offer) {
        Matcher video = Pattern.compile("m=video \\d+ (\\S+) (\\d+)").matcher(offer);
        if (!video.find()) {
            return answerTo(offer);
        }
        return answerTo(offer) + String.join("\r\n", "m=video 0 " + video.group(1) + " " + video.group(2),
                "c=IN IP4 0.0.0.0", "");
    }

    /** Chrome's answer to an offer the gateway sent: the offer's first audio codec, DTLS active, its mid. */
    public static String answerTo(String offer) {
        Matcher m = Pattern.compile("m=audio \\d+ \\S+ (\\d+)").matcher(offer);
        String pt = m.find() ? m.group(1) : "0";
        Matcher rtpmap = Pattern.compile("a=rtpmap:" + pt + " (\\S+)").matcher(offer);
        String codec = rtpmap.find() ? rtpmap.group(1) : "PCMU/8000";
        Matcher mid = Pattern.compile("a=mid:(\\S+)").matcher(offer);
        String midValue = mid.find() ? mid.group(1) : "0";
        return String.join("\r\n",
                "v=0",
                "o=- 1293857326474862 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE " + midValue,
                "a=msid-semantic: WMS stream2",
                "m=audio 9 UDP/TLS/RTP/SAVPF " + pt,
                "c=IN IP4 0.0.0.0",
                "a=rtcp:9 IN IP4 0.0.0.0",
                "a=candidate:1 1 udp 2122260223 127.0.0.1 40002 typ host generation 0",
                "a=ice-ufrag:Qw3e",
                "a=ice-pwd:R5tY7uI9oP1aS3dF5gH7jK9l",
                "a=fingerprint:sha-256 1A:2B:3C:4D:5E:6F:70:81:92:A3:B4:C5:D6:E7:F8:09:1A:2B:3C:4D:5E:6F:70:81:92:A3:B4:C5:D6:E7:F8:09",
                "a=setup:active",
                "a=mid:" + midValue,
                "a=sendrecv",
                "a=msid:stream2 track2",
                "a=rtcp-mux",
                "a=rtpmap:" + pt + " " + codec,
                "");
    }
}

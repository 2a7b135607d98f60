package org.webims.gateway.sip.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SdpValidatorTest {
    private final SdpValidator validator = new SdpValidator(SdpLimits.DEFAULTS);

    /** Chrome's offer with audio, video and a data channel, BUNDLEd, c= in every section. */
    static final String CHROME = String.join("\r\n", "v=0", "o=- 46117 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE 0 1 2", "a=msid-semantic: WMS",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "c=IN IP4 0.0.0.0",
            "a=candidate:1 1 udp 2122260223 192.168.1.2 40000 typ host generation 0",
            "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
            "a=rtpmap:111 opus/48000/2", "a=mid:0",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109 127 125 39 40 45 46 98 99 100 101 112 113 116 117 118",
            "c=IN IP4 0.0.0.0", "a=mid:1",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=mid:2", "");

    /** An IMS phone: c= at session level, RTP/AVP, a declined video stream. */
    static final String PHONE = "v=0\r\no=phone 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
            + "m=audio 6000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\nm=video 0 RTP/AVP 96\r\n";

    @Test
    void whatBrowsersAndPhonesSendPasses() {
        assertEquals(Optional.empty(), validator.check(CHROME));
        assertEquals(Optional.empty(), validator.check(PHONE));
        assertEquals(Optional.empty(), validator.check(PHONE.replace("\r\n", "\n")), "bare LF is read too");
        assertEquals(Optional.empty(), validator.check(PHONE.replace("c=IN IP4 10.0.0.1\r\nt=0 0\r\n",
                "t=0 0\r\n").replace("m=audio 6000 RTP/AVP 0 101\r\n",
                        "m=audio 6000 RTP/AVP 0 101\r\nc=IN IP6 ::1\r\n")),
                "c= per stream, and none needed on a declined stream");
    }

    static List<Arguments> refused() {
        String audio = "m=audio 6000 RTP/AVP 0\r\n";
        String head = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n";
        return List.of(
                Arguments.of("40 m-lines", head + audio.repeat(40), 399, "more than 8 media streams"),
                Arguments.of("port out of range", head + "m=audio 70000 RTP/AVP 0\r\n", 399, "port out of range"),
                Arguments.of("port not a number", head + "m=audio x RTP/AVP 0\r\n", 399, "port out of range"),
                Arguments.of("a range of ports", head + "m=audio 6000/500 RTP/AVP 0\r\n", 399, "several ports"),
                Arguments.of("payload type 128", head + "m=audio 6000 RTP/AVP 0 128\r\n", 305, "outside 0-127"),
                Arguments.of("payload type not a number", head + "m=audio 6000 RTP/AVP opus\r\n", 305,
                        "outside 0-127"),
                Arguments.of("too many formats", head + "m=audio 6000 RTP/AVP" + " 0".repeat(33) + "\r\n", 305,
                        "more than 32 formats"),
                Arguments.of("no format", head + "m=audio 6000 RTP/AVP\r\n", 399, "<media> <port> <proto>"),
                Arguments.of("garbage transport", head + "m=audio 6000 XYZ/\u0001 0\r\n", 399, "control character"),
                Arguments.of("unknown transport", head + "m=audio 6000 RTP/FOO 0\r\n", 302, "unknown transport"),
                Arguments.of("oversized attribute", head + audio + "a=x:" + "y".repeat(1100) + "\r\n", 399,
                        "over 1024 bytes"),
                Arguments.of("body too large", head + audio + ("a=ptime:20\r\n").repeat(1500), 399,
                        "over 16384 bytes"),
                Arguments.of("no c= anywhere", "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n" + audio, 301,
                        "no connection address"),
                Arguments.of("unreadable c=", head.replace("IN IP4 10.0.0.1\r\nt", "IN IPX 10.0.0.1\r\nt") + audio,
                        301, "unreadable connection address"),
                Arguments.of("not SDP", "hello\r\n", 399, "v=0"),
                Arguments.of("a line without =", head + audio + "garbage\r\n", 399, "not <type>=<value>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void absurdOffersAreRefusedWithAWarning(String what, String sdp, int warnCode, String cause) {
        SdpProblem problem = validator.check(sdp).orElseThrow(() -> new AssertionError(what + " passed"));
        assertEquals(warnCode, problem.warnCode(), problem.toString());
        assertTrue(problem.text().contains(cause), problem.toString());
    }

    @Test
    void theLimitsAreTheOperatorsChoice() {
        String head = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n";
        String three = head + "m=audio 6000 RTP/AVP 0\r\n".repeat(3);
        assertEquals(Optional.empty(), validator.check(three));
        assertTrue(new SdpValidator(new SdpLimits(2, 32, 16_384, 1_024)).check(three).isPresent());
    }
}

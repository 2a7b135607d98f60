package org.webims.gateway.sip.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.qos.MediaComponent;
import org.webims.gateway.ports.qos.MediaComponent.Direction;
import org.webims.gateway.ports.qos.MediaComponent.Endpoint;

/** The WebRTC leg's flows for the PCRF, from the client's SDP and the gateway's toward it. */
class MediaFlowsTest {
    /** A browser's offer before it had a default candidate (RFC 8839 §4.2.1.1), with an mDNS host candidate. */
    private static final String CLIENT_OFFER = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-",
            "t=0 0", "a=group:BUNDLE 0", "m=audio 9 UDP/TLS/RTP/SAVPF 111 0", "c=IN IP4 0.0.0.0", "b=AS:40",
            "a=candidate:1 1 udp 2122260223 abcd.local 51000 typ host",
            "a=candidate:2 1 udp 1686052607 203.0.113.9 51001 typ srflx raddr 0.0.0.0 rport 0",
            "a=candidate:3 1 udp 2122194687 198.51.100.7 50000 typ host",
            "a=candidate:3 2 udp 2122194686 198.51.100.7 50009 typ host",
            "a=rtcp-mux", "a=sendrecv", "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:0 PCMU/8000", "a=ice-ufrag:x", "m=video 0 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "");
    private static final String GATEWAY_ANSWER = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 192.0.2.1", "s=-",
            "c=IN IP4 192.0.2.1", "t=0 0", "m=audio 40000 UDP/TLS/RTP/SAVPF 111", "b=TIAS:32000", "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2", "a=sendrecv", "m=video 0 UDP/TLS/RTP/SAVPF 96", "");

    @Test
    void aBrowsersOfferAndOurAnswerGiveTheNegotiatedFlows() {
        List<MediaComponent> flows = MediaFlows.of(CLIENT_OFFER, GATEWAY_ANSWER, true);
        assertEquals(2, flows.size());
        MediaComponent audio = flows.get(0);
        assertEquals(1, audio.number());
        assertEquals("audio", audio.kind());
        assertEquals(new Endpoint("198.51.100.7", 50000), audio.client(),
                "the best RTP candidate with an IP address (not the mDNS name, not RTCP's)");
        assertEquals(new Endpoint("192.0.2.1", 40000), audio.gateway(), "session-level c= of our answer");
        assertTrue(audio.rtcpMux());
        assertEquals(Direction.SENDRECV, audio.direction());
        assertEquals(40_000, audio.downlinkBps(), "the client receives at most its b=AS");
        assertEquals(32_000, audio.uplinkBps(), "it sends at most what our TIAS allows");
        assertEquals("m=audio 9 UDP/TLS/RTP/SAVPF 111 0\na=rtpmap:111 opus/48000/2\n"
                + "a=fmtp:111 minptime=10;useinbandfec=1\na=rtpmap:0 PCMU/8000", audio.clientLines());
        assertTrue(audio.clientOffered());
        assertEquals(Direction.REMOVED, flows.get(1).direction(), "a declined stream (port 0)");
        assertEquals("video", flows.get(1).kind());
    }

    @Test
    void aHoldOfferIsUplinkOnlyAndPlainAddressesAreTakenAsTheyAre() {
        String hold = String.join("\r\n", "v=0", "o=- 1 3 IN IP4 198.51.100.7", "s=-", "c=IN IP4 198.51.100.7",
                "t=0 0", "a=sendonly", "m=audio 50000 RTP/AVP 0", "");
        MediaComponent audio = MediaFlows.of(hold, null, true).get(0);
        assertEquals(Direction.SENDONLY, audio.direction(), "session-level direction");
        assertEquals(new Endpoint("198.51.100.7", 50000), audio.client());
        assertEquals(Endpoint.UNKNOWN, audio.gateway());
        assertFalse(audio.rtcpMux());
        assertEquals(MediaFlows.DEFAULT_AUDIO_BPS, audio.uplinkBps(), "no b= line: the default");
    }

    @Test
    void beforeTheClientAnsweredOurOfferGivesTheFlowsWithItsDirectionReversed() {
        String offer = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
                "m=audio 40000 UDP/TLS/RTP/SAVPF 111", "a=recvonly", "m=video 40002 UDP/TLS/RTP/SAVPF 96", "");
        List<MediaComponent> flows = MediaFlows.of(null, offer, false);
        assertEquals(Endpoint.UNKNOWN, flows.get(0).client());
        assertEquals(Direction.SENDONLY, flows.get(0).direction(), "we only receive: the client only sends");
        assertEquals(MediaFlows.DEFAULT_VIDEO_BPS, flows.get(1).downlinkBps());
        assertEquals(Direction.SENDRECV, flows.get(1).direction());
    }

    @Test
    void noSdpNoFlows() {
        assertTrue(MediaFlows.of(null, null, true).isEmpty());
    }
}

package org.webims.gateway.sip.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallPoliciesTest {
    private final EmergencyPolicy emergency = EmergencyPolicy.ofList("112, 911");

    @Test
    void emergencyUrnsAndNumbersAreRecognised() {
        assertTrue(emergency.isEmergency("urn:service:sos"));
        assertTrue(emergency.isEmergency("urn:service:sos.ambulance"));
        assertTrue(emergency.isEmergency("<urn:service:sos.police>"));
        assertTrue(emergency.isEmergency("tel:112"));
        assertTrue(emergency.isEmergency("tel:9-1-1"));
        assertTrue(emergency.isEmergency("sip:112@ims.example.test;user=phone"));
        assertTrue(emergency.isEmergency("sip:911@ims.example.test"));
    }

    @Test
    void ordinaryTargetsAreNotEmergencies() {
        assertFalse(emergency.isEmergency("sip:bob@ims.example.test"));
        assertFalse(emergency.isEmergency("tel:+1555112"));
        assertFalse(emergency.isEmergency("sip:1120@ims.example.test"));
        assertFalse(emergency.isEmergency("urn:service:counseling"));
        assertFalse(emergency.isEmergency(null));
    }

    @Test
    void earlyMediaIsGatedByTheNetworksDirection() {
        assertTrue(EarlyMediaGate.allowsTowardUser(null));
        assertTrue(EarlyMediaGate.allowsTowardUser("sendrecv"));
        assertTrue(EarlyMediaGate.allowsTowardUser("sendonly"));
        assertFalse(EarlyMediaGate.allowsTowardUser("inactive"));
        assertFalse(EarlyMediaGate.allowsTowardUser("recvonly"));
        assertTrue(EarlyMediaGate.allowsTowardUser("inactive, sendonly"));
    }

    @Test
    void sessionTimersParse() {
        SessionTimer timer = SessionTimer.parse("1800;refresher=uas", true).orElseThrow();
        assertEquals(Duration.ofSeconds(1800), timer.interval());
        assertFalse(timer.refresherIsUac());
        assertEquals(Duration.ofSeconds(900), timer.refreshAfter());
        assertTrue(SessionTimer.parse("90", true).orElseThrow().refresherIsUac());
        assertTrue(SessionTimer.parse("abc", true).isEmpty());
        assertTrue(SessionTimer.parse(null, true).isEmpty());
    }

    @Test
    void sdpSummariesNameTheCodecsPerStream() {
        String sdp = "v=0\r\nm=audio 4000 RTP/AVP 96 0 101\r\na=rtpmap:96 AMR-WB/16000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\nm=video 0 RTP/AVP 97\r\na=rtpmap:97 H264/90000\r\n";
        SdpSummary summary = SdpSummary.parse(sdp);
        assertEquals(List.of("AMR-WB", "PCMU", "telephone-event"), summary.streams().get(0).codecs());
        assertEquals("audio: AMR-WB, PCMU, telephone-event; video: declined", summary.describe());
        assertEquals(List.of("AMR-WB", "telephone-event"), summary.audioInUse(), "the answer's first codec");
        assertEquals(List.of("AMR-WB", "PCMU", "telephone-event"), summary.audioCodecs());
        assertEquals(List.of(), SdpSummary.parse("v=0\r\nm=audio 0 RTP/AVP 0\r\n").audioInUse(), "declined");
        assertEquals(List.of(), SdpSummary.parse(null).audioInUse());
    }

    @Test
    void anAnswerMissingAStreamIsCompletedWithAPortZeroLine() {
        String offer = "v=0\r\nm=audio 4000 RTP/AVP 0\r\nm=video 4002 RTP/AVP 96 97\r\n";
        String answer = "v=0\r\nm=audio 5000 RTP/AVP 0\r\n";
        assertEquals("v=0\r\nm=audio 5000 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\n",
                AnswerCompletion.complete(offer, answer));
        assertEquals(answer, AnswerCompletion.complete("v=0\r\nm=audio 4000 RTP/AVP 0\r\n", answer));
    }
}

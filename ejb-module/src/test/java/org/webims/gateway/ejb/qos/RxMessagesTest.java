package org.webims.gateway.ejb.qos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MessageCodec;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.CallFacts;
import org.webims.gateway.ports.qos.MediaComponent;
import org.webims.gateway.ports.qos.MediaComponent.Direction;
import org.webims.gateway.ports.qos.MediaComponent.Endpoint;

/** TS 29.214 §5.6.1 AAR and §5.4.2 flow descriptions as the gateway writes them. */
class RxMessagesTest {
    private static final CallFacts CALL = new CallFacts("c1", CallDirection.ORIGINATING, "tel:+15550101",
            "sip:bob@ims.example.test", null, Instant.EPOCH, "icid-7");
    private final RxMessages messages = new RxMessages("gw.test", "test", "pcrf.test");

    private static String text(Avp avp) {
        return new String(avp.data(), StandardCharsets.UTF_8);
    }

    @Test
    void theInitialAarCarriesTheFlowsTheIcidTheBearerEventsAndTheClientsAddress() throws Exception {
        MediaComponent audio = new MediaComponent(1, "audio", new Endpoint("198.51.100.7", 50000),
                new Endpoint("192.0.2.1", 40000), false, Direction.SENDONLY, 32000, 64000,
                "m=audio 50000 UDP/TLS/RTP/SAVPF 111\na=rtpmap:111 opus/48000/2", "m=audio 40000 RTP/AVP 0", true);
        DiameterMessage aar = MessageCodec.decode(MessageCodec.encode(messages.aar("s1", true, CALL, "198.51.100.7",
                List.of(audio), 5)));
        assertEquals(RxMessages.AA, aar.commandCode());
        assertEquals(RxMessages.RX_APPLICATION, aar.applicationId());
        assertTrue(aar.proxiable());
        assertEquals("s1", aar.avps().get(0).utf8(), "Session-Id first");
        assertEquals(0, aar.first(AvpCode.RX_REQUEST_TYPE).orElseThrow().integer32(), "INITIAL_REQUEST");
        assertEquals("icid-7", text(aar.first(AvpCode.AF_CHARGING_IDENTIFIER).orElseThrow()));
        assertEquals(List.of(2, 4), aar.avps().stream().filter(a -> a.is(AvpCode.SPECIFIC_ACTION)).map(a -> {
            try {
                return a.integer32();
            } catch (Exception e) {
                return -1;
            }
        }).toList());
        assertArrayEquals(new byte[] {(byte) 198, 51, 100, 7}, aar.first(AvpCode.FRAMED_IP_ADDRESS).orElseThrow()
                .data());
        assertEquals("15550101", aar.first(AvpCode.SUBSCRIPTION_ID).orElseThrow().members().get(1).utf8());
        List<Avp> component = aar.first(AvpCode.MEDIA_COMPONENT_DESCRIPTION).orElseThrow().members();
        Avp rtp = component.get(1);
        Avp rtcp = component.get(2);
        assertEquals(List.of("permit out 17 from 192.0.2.1 40000 to 198.51.100.7 50000",
                "permit in 17 from 198.51.100.7 50000 to 192.0.2.1 40000"), rtp.members().stream()
                        .filter(a -> a.is(AvpCode.FLOW_DESCRIPTION)).map(RxMessagesTest::text).toList());
        assertEquals(List.of("permit out 17 from 192.0.2.1 40001 to 198.51.100.7 50001",
                "permit in 17 from 198.51.100.7 50001 to 192.0.2.1 40001"), rtcp.members().stream()
                        .filter(a -> a.is(AvpCode.FLOW_DESCRIPTION)).map(RxMessagesTest::text).toList());
        assertEquals(1, rtcp.members().stream().filter(a -> a.is(AvpCode.FLOW_USAGE)).findFirst().orElseThrow()
                .integer32(), "RTCP");
        assertEquals(0, find(component, AvpCode.FLOW_STATUS).integer32(), "sendonly: ENABLED-UPLINK");
        assertEquals(0, find(component, AvpCode.MEDIA_TYPE).integer32(), "AUDIO");
        assertEquals(32000, find(component, AvpCode.MAX_REQUESTED_BANDWIDTH_UL).unsigned32());
        assertEquals(64000, find(component, AvpCode.MAX_REQUESTED_BANDWIDTH_DL).unsigned32());
        List<String> codecData = component.stream().filter(a -> a.is(AvpCode.CODEC_DATA)).map(RxMessagesTest::text)
                .toList();
        assertEquals("uplink\noffer\nm=audio 50000 UDP/TLS/RTP/SAVPF 111\na=rtpmap:111 opus/48000/2",
                codecData.get(0));
        assertEquals("downlink\nanswer\nm=audio 40000 RTP/AVP 0", codecData.get(1));
        assertTrue(aar.first(AvpCode.FLOW_DESCRIPTION).isEmpty(), "flows only inside their component");
    }

    @Test
    void anIpv6ClientIsBoundByAFramedIpv6PrefixOfItsOneAddress() throws Exception {
        DiameterMessage aar = MessageCodec.decode(MessageCodec.encode(messages.aar("s1", true, CALL, "2001:db8::7",
                List.of(), 5)));
        assertFalse(aar.first(AvpCode.FRAMED_IP_ADDRESS).isPresent());
        byte[] prefix = aar.first(AvpCode.FRAMED_IPV6_PREFIX).orElseThrow().data();
        assertArrayEquals(new byte[] {0, (byte) 128, 0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            7}, prefix, "Reserved, Prefix-Length 128, the address");
    }

    @Test
    void anUpdateCarriesTheMediaOnlyAndUnknownAddressesAreAny() throws Exception {
        MediaComponent video = new MediaComponent(2, "video", Endpoint.UNKNOWN, new Endpoint("192.0.2.1", 40002),
                true, Direction.SENDRECV, 1, 2, null, null, false);
        DiameterMessage aar = MessageCodec.decode(MessageCodec.encode(messages.aar("s1", false, CALL, null,
                List.of(video), 5)));
        assertEquals(1, aar.first(AvpCode.RX_REQUEST_TYPE).orElseThrow().integer32(), "UPDATE_REQUEST");
        assertFalse(aar.first(AvpCode.AF_CHARGING_IDENTIFIER).isPresent());
        assertFalse(aar.first(AvpCode.FRAMED_IP_ADDRESS).isPresent());
        List<Avp> component = aar.first(AvpCode.MEDIA_COMPONENT_DESCRIPTION).orElseThrow().members();
        assertEquals(2, component.stream().filter(a -> a.is(AvpCode.MEDIA_SUB_COMPONENT)).count() + 1,
                "rtcp-mux: one flow");
        assertEquals(List.of("permit out 17 from 192.0.2.1 40002 to any", "permit in 17 from any to 192.0.2.1 40002"),
                find(component, AvpCode.MEDIA_SUB_COMPONENT).members().stream()
                        .filter(a -> a.is(AvpCode.FLOW_DESCRIPTION)).map(RxMessagesTest::text).toList());
        assertEquals(1, find(component, AvpCode.MEDIA_TYPE).integer32(), "VIDEO");
    }

    @Test
    void theStrEndsTheSessionWithLogout() throws Exception {
        DiameterMessage str = MessageCodec.decode(MessageCodec.encode(messages.str("s1", 9)));
        assertEquals(RxMessages.SESSION_TERMINATION, str.commandCode());
        assertEquals(1, str.first(AvpCode.TERMINATION_CAUSE).orElseThrow().integer32());
        assertEquals(RxMessages.RX_APPLICATION, str.first(AvpCode.AUTH_APPLICATION_ID).orElseThrow().unsigned32());
    }

    private static Avp find(List<Avp> avps, AvpCode code) {
        return avps.stream().filter(a -> a.is(code)).findFirst().orElseThrow();
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipRequestFactory;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * What one client writes cannot steer the core to a host of its choosing, nor break the connection toward the core
 * that every client shares (issue 9, findings 9 and 10).
 */
class OriginatingLimitsIT extends GatewayTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static WsSipClient registered(SipClientIdentity who) {
        WsSipClient client = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN, who, "sip");
        assertEquals(200, client.register(600).status());
        return client;
    }

    @Test
    void requestUrisNamingAnAddressAndPortNeverLeaveTheGateway() throws Exception {
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                DatagramSocket listener = new DatagramSocket(new InetSocketAddress("127.0.0.2", 5999))) {
            SipMessage message = alice.sendMessage("sip:x@127.0.0.2:5999", "hello internal service");
            assertEquals(403, message.status(), message.toString());
            assertTrue(message.header("Warning").contains("IP address"), message.header("Warning"));

            for (String target : List.of("sip:x@127.0.0.1:" + TestBed.NG_PORT, "sip:x@127.0.0.1:10090",
                    "sip:x@ims.example.test:10090", "sip:x@ims.example.test;maddr=127.0.0.2")) {
                WsCall call = new WsCall(alice, target).invite(WebrtcSdp.opusOffer());
                SipMessage refusal = call.awaitFinal(WAIT);
                assertEquals(403, refusal.status(), target + ": " + refusal);
                call.ackRefusal(refusal);
            }
            assertEquals(403, alice.sendOptions("sip:127.0.0.2:5999").status());

            listener.setSoTimeout(1000);
            DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
            try {
                listener.receive(packet);
                throw new AssertionError("the core relayed a request to 127.0.0.2:5999: "
                        + new String(packet.getData(), 0, packet.getLength()));
            } catch (SocketTimeoutException expected) {
                // nothing arrived
            }
            assertTrue(api.calls().isEmpty(), "no call was created");
            alice.unregister();
        }
    }

    @Test
    void aHugeHeaderGets400AndTheConnectionTowardTheCoreKeepsServingEveryone() {
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                WsSipClient bob = registered(SipClientIdentity.bob())) {
            String huge = alice.requestFactory().message("sip:bob@ims.example.test", SipRequestFactory.newCallId(),
                    1, SipRequestFactory.newTag(), "hi", null)
                    .replaceFirst("Via: SIP/2.0/WSS [^;]+;", "Via: SIP/2.0/WSS " + "a".repeat(4000) + ".invalid;");
            SipMessage refused = alice.request(huge);
            assertEquals(400, refused.status(), refused.toString());
            assertTrue(refused.reason().contains("Via"), "the reason names the header: " + refused.reason());

            // over 1300 bytes: toward the core over TCP (RFC 3261 §18.1.1), on the connection the core shares
            String text = "x".repeat(2000);
            assertEquals(200, alice.sendMessage("sip:bob@ims.example.test", text).status());
            SipMessage atBob = bob.awaitMessage(m -> m.isRequest() && "MESSAGE".equals(m.method()));
            assertEquals(text, atBob.body());
            bob.unregister();
            alice.unregister();
        }
    }
}

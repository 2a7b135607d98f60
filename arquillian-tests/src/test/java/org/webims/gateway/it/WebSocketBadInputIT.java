package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.HandshakeFailedException;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipRequestFactory;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.support.RawWebSocket;

/**
 * Bad input on the SIP WebSocket gets a clear answer and disturbs nobody (RFC 7118, RFC 3261 §21.4.1,
 * RFC 6455 §10.2): refused handshakes, 400 for a malformed request, 513 for an oversized one, binary frames, and a
 * flood of garbage on one connection while another registers.
 */
class WebSocketBadInputIT extends GatewayTestBase {
    private static final String ORIGIN = TestBed.ORIGIN;

    @Test
    void aHandshakeWithoutTheSipSubprotocolIsRefusedWith400() {
        HandshakeFailedException refused = assertThrows(HandshakeFailedException.class,
                () -> WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN));
        assertEquals(400, refused.statusCode());
    }

    @Test
    void aHandshakeWithAnotherSubprotocolOnlyIsRefusedWith400() {
        HandshakeFailedException refused = assertThrows(HandshakeFailedException.class,
                () -> WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, "xmpp"));
        assertEquals(400, refused.statusCode());
    }

    @Test
    void aForeignOriginIsRefusedWith403() {
        HandshakeFailedException refused = assertThrows(HandshakeFailedException.class,
                () -> WsSipClient.connect(WsSipClient.DEFAULT_URI, "https://evil.example", "sip"));
        assertEquals(403, refused.statusCode());
    }

    @Test
    void aHandshakeOfAnotherWebSocketVersionIsRefusedWith426NamingVersion13() {
        RawWebSocket.HandshakeRefused refused = assertThrows(RawWebSocket.HandshakeRefused.class,
                () -> RawWebSocket.connect(TestBed.HTTP_PORT, "8"));
        assertTrue(refused.response().startsWith("HTTP/1.1 426"), "RFC 6455 §4.4: " + refused.response());
        assertTrue(refused.response().toLowerCase().contains("sec-websocket-version: 13"), refused.response());
    }

    @Test
    void theHandshakeEchoesTheSipSubprotocol() {
        try (WsSipClient client = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, "sip")) {
            assertEquals("sip", client.subprotocol());
        }
    }

    @Test
    void aMalformedRequestGets400WithAReasonAndTheConnectionStaysUsable() {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            String broken = alice.requestFactory().options("sip:bob@ims.example.test",
                    SipRequestFactory.newCallId(), 1, SipRequestFactory.newTag(), null)
                    .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nContact: <sip:broken@\r\n");
            SipMessage answer = alice.request(broken);
            assertEquals(400, answer.status());
            assertTrue(answer.reason().contains("Contact"), "the reason names the bad header: " + answer.reason());
            assertEquals(200, alice.register(600).status(), "the same connection still works");
            alice.unregister();
        }
    }

    /** Each request the stack used to take without ever answering: now 400 with the cause (RFC 3261 §21.4.1). */
    @Test
    void requestsMissingWhatTheirMethodNeedsGet400NamingIt() {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            SipRequestFactory f = alice.requestFactory();
            String contact = "Contact: <" + f.contactUri() + ">";
            String target = "sip:bob@ims.example.test";
            assertBadRequest(alice, f.outOfDialog("SUBSCRIBE", target, SipRequestFactory.newCallId(), 1,
                    SipRequestFactory.newTag(), List.of("Event: presence", "Expires: 600"), null, null),
                    "missing Contact header");
            assertBadRequest(alice, f.outOfDialog("REFER", target, SipRequestFactory.newCallId(), 1,
                    SipRequestFactory.newTag(), List.of("Refer-To: <sip:carol@ims.example.test>"), null, null),
                    "missing Contact header");
            assertBadRequest(alice, f.outOfDialog("NOTIFY", target, SipRequestFactory.newCallId(), 1,
                    SipRequestFactory.newTag(), List.of(contact, "Event: refer"), null, null),
                    "missing Subscription-State header");
            assertBadRequest(alice, f.options(target, SipRequestFactory.newCallId(), 7, SipRequestFactory.newTag(),
                    null).replace("CSeq: 7 OPTIONS", "CSeq: 7 INVITE"), "CSeq method INVITE differs");
            assertTrue(alice.isOpen(), "the connection stays open");
        }
    }

    /** Found by the fuzzer: the stack dropped an unsolicited NOTIFY without a word. */
    @Test
    void aNotifyOutsideAnyDialogIsAnswered() {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            SipRequestFactory f = alice.requestFactory();
            SipMessage answer = alice.request(f.outOfDialog("NOTIFY", "sip:bob@ims.example.test",
                    SipRequestFactory.newCallId(), 1, SipRequestFactory.newTag(),
                    List.of("Contact: <" + f.contactUri() + ">", "Event: presence",
                            "Subscription-State: active;expires=60"), null, null));
            assertTrue(answer.status() >= 400, "a final refusal: " + answer);
        }
    }

    @Test
    void aRequestWhoseCseqNumberIsNotANumberGets400FromItsRawHeaders() {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            String callId = SipRequestFactory.newCallId();
            String bad = alice.requestFactory().options("sip:bob@ims.example.test", callId, 9,
                    SipRequestFactory.newTag(), null).replace("CSeq: 9 OPTIONS", "CSeq: nine OPTIONS");
            alice.sendText(bad);
            String answer = alice.awaitRawFrame(f -> f.startsWith("SIP/2.0 ") && f.contains(callId),
                    Duration.ofSeconds(5));
            assertTrue(answer.startsWith("SIP/2.0 400 Bad Request ("), answer);
            assertTrue(answer.contains("CSeq"), "the reason names the header: " + answer);
            assertTrue(answer.contains("CSeq: nine OPTIONS"), "the request's own CSeq comes back: " + answer);
            assertEquals(200, alice.register(600).status(), "the same connection still works");
            alice.unregister();
        }
    }

    private static void assertBadRequest(WsSipClient client, String request, String reasonPart) {
        SipMessage answer = client.request(request);
        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.reason().contains(reasonPart), "the reason names the problem: " + answer.reason());
    }

    @Test
    void aMessageOverTheSizeLimitGets513() {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            String huge = alice.requestFactory().message("sip:bob@ims.example.test", SipRequestFactory.newCallId(),
                    1, SipRequestFactory.newTag(), "x".repeat(70_000), null);
            assertEquals(513, alice.request(huge).status());
            assertTrue(alice.isOpen());
        }
    }

    @Test
    void aSipMessageInABinaryFrameIsProcessed() {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            var factory = alice.requestFactory();
            String register = factory.register(factory.nextRegisterCseq(), SipRequestFactory.newTag(), 600, null);
            alice.sendBinary(register.getBytes(StandardCharsets.UTF_8));
            SipMessage challenge = alice.awaitMessage(m -> m.isResponse() && m.status() == 401);
            assertEquals(factory.registerCallId(), challenge.callId());
        }
    }

    @Test
    void aThousandGarbageFramesOnOneConnectionDoNotDisturbAnother() throws Exception {
        try (RawWebSocket flooder = RawWebSocket.connect(TestBed.HTTP_PORT);
                WsSipClient bob = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.bob(),
                        "sip")) {
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        flooder.sendText("garbage " + i + " \u0000\u0001 not SIP");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(200, bob.register(600).status(), "registration beside the flood");
            flood.get(30, TimeUnit.SECONDS);
            flooder.sendText("\r\n\r\n");
            assertEquals("\r\n", flooder.readMessage(), "the flooded connection is still served");
            bob.unregister();
        }
    }
}

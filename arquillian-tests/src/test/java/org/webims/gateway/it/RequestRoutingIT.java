package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipRequestFactory;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;

/**
 * Out-of-dialog requests through the gateway and the IMS core, both ways (TS 24.229 §5.2.6.3 and §5.2.6.4,
 * RFC 5626 §5.3): originating requests carry the asserted identity and follow the Service-Route; terminating ones
 * reach the flow named by our Path's token whatever the Contact's {@code .invalid} host, and a closed flow gives 430.
 */
class RequestRoutingIT extends GatewayTestBase {
    private static final String ORIGIN = TestBed.ORIGIN;

    private static WsSipClient registered(SipClientIdentity who) {
        WsSipClient client = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, who, "sip");
        assertEquals(200, client.register(600).status());
        return client;
    }

    @Test
    void aMessageFromOneClientReachesTheOtherOnItsOwnWebSocketWithTheAssertedIdentity() {
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                WsSipClient bob = registered(SipClientIdentity.bob())) {
            SipMessage answer = alice.sendMessage("sip:bob@ims.example.test", "hello bob");
            assertEquals(200, answer.status(), answer.toString());

            List<SipMessage> atBob = bob.receivedRequests();
            assertEquals(1, atBob.size(), atBob.toString());
            SipMessage message = atBob.get(0);
            assertEquals("MESSAGE", message.method());
            assertEquals("hello bob", message.body());
            assertTrue(message.header("P-Asserted-Identity").contains("sip:alice@ims.example.test"),
                    "the gateway asserts the registered identity: " + message);
            assertEquals(bob.requestFactory().contactUri().split(";")[0],
                    message.requestUri().split(";")[0], "sent to bob's .invalid contact, over bob's flow");
            assertTrue(alice.receivedRequests().isEmpty(), "nothing leaked to the other connection");
            bob.unregister();
            alice.unregister();
        }
    }

    @Test
    void aMessagesFromIsTheAssertedIdentityWhateverTheClientWrote() {
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                WsSipClient bob = registered(SipClientIdentity.bob())) {
            String forged = alice.requestFactory().message("sip:bob@ims.example.test",
                    SipRequestFactory.newCallId(), 1, SipRequestFactory.newTag(), "your account is blocked", null)
                    .replace("From: <" + alice.identity().publicId() + ">",
                            "From: \"Bank of Test\" <sip:security@bank.example>");
            assertTrue(forged.contains("bank.example"), "the forged From is in the request");
            assertEquals(200, alice.request(forged).status());

            SipMessage atBob = bob.awaitMessage(m -> m.isRequest() && "MESSAGE".equals(m.method()));
            String from = atBob.header("From");
            assertTrue(from.contains("<sip:alice@ims.example.test>"), "From names the asserted identity: " + from);
            assertTrue(from.contains("Bank of Test"), "the display name the client chose is kept: " + from);
            assertFalse(from.contains("bank.example"), from);
            bob.unregister();
            alice.unregister();
        }
    }

    @Test
    void optionsReachTheRightClientBothWays() {
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                WsSipClient bob = registered(SipClientIdentity.bob())) {
            assertEquals(200, bob.sendOptions("sip:alice@ims.example.test").status());
            assertEquals(200, alice.sendOptions("sip:bob@ims.example.test").status());
            assertEquals("OPTIONS", alice.receivedRequests().get(0).method());
            assertEquals("OPTIONS", bob.receivedRequests().get(0).method());
            assertEquals(1, alice.receivedRequests().size());
            assertEquals(1, bob.receivedRequests().size());
            bob.unregister();
            alice.unregister();
        }
    }

    @Test
    void anImsPhoneReachesTheRightWebSocketWithMessageAndOptions() throws Exception {
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                WsSipClient bob = registered(SipClientIdentity.bob())) {
            Sipp.Result message = Sipp.scenario("message-uac.xml").remote(core.hostPort())
                    .key("ruri", "sip:alice@ims.example.test").key("from", "sip:phone@ims.example.test")
                    .key("text", "from an IMS phone").expect("200").run(Duration.ofSeconds(30));
            assertTrue(message.ok(), message.describe());
            Sipp.Result options = Sipp.scenario("options-uac.xml").remote(core.hostPort())
                    .key("ruri", "sip:bob@ims.example.test").key("from", "sip:phone@ims.example.test")
                    .expect("200").run(Duration.ofSeconds(30));
            assertTrue(options.ok(), options.describe());

            assertEquals(List.of("MESSAGE"), alice.receivedRequests().stream().map(SipMessage::method).toList());
            assertEquals("from an IMS phone", alice.receivedRequests().get(0).body().strip());
            assertEquals(List.of("OPTIONS"), bob.receivedRequests().stream().map(SipMessage::method).toList());
            bob.unregister();
            alice.unregister();
        }
    }

    @Test
    void aForgedFlowTokenIsRefusedWith403() throws Exception {
        // Straight at the gateway's Mw port, with a Route naming a flow token this gateway never issued.
        Sipp.Result forged = Sipp.scenario("message-routed-uac.xml").remote("127.0.0.1:" + TestBed.SIP_PORT)
                .key("ruri", "sip:x@abc.invalid;transport=ws").key("from", "sip:attacker@ims.example.test")
                .key("route", "<sip:AAAAAAAAAAFmb3JnZWRfdG9rZW4@127.0.0.1:5160;lr>")
                .key("text", "let me in").expect("403")
                .run(Duration.ofSeconds(30));
        assertTrue(forged.ok(), forged.describe());
    }

    @Test
    void aClientAssertingAnotherIdentityIsNotBelieved() {
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                WsSipClient bob = registered(SipClientIdentity.bob())) {
            String forged = alice.requestFactory().message("sip:bob@ims.example.test", SipRequestFactory.newCallId(),
                    1, SipRequestFactory.newTag(), "I am the president", null)
                    .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\n"
                            + "P-Asserted-Identity: <sip:president@ims.example.test>\r\n"
                            + "P-Preferred-Identity: <sip:president@ims.example.test>\r\n");
            assertEquals(200, alice.request(forged).status());
            SipMessage atBob = bob.receivedRequests().get(0);
            assertEquals(List.of("<sip:alice@ims.example.test>"), atBob.headers("P-Asserted-Identity"));
            assertTrue(atBob.headers("P-Preferred-Identity").isEmpty());
            bob.unregister();
            alice.unregister();
        }
    }

    @Test
    void aRequestOver1300BytesGoesToTheCoreOverTcp() throws Exception {
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                WsSipClient bob = registered(SipClientIdentity.bob())) {
            assertTrue(tcpConnectionsToCore().isEmpty(), "no TCP toward the core yet: " + tcpConnectionsToCore());
            String text = "x".repeat(1500);
            assertEquals(200, alice.sendMessage("sip:bob@ims.example.test", text).status());
            assertEquals(text, bob.receivedRequests().get(0).body());
            assertTrue(!tcpConnectionsToCore().isEmpty(), "RFC 3261 §18.1.1: the large MESSAGE went over TCP");
            bob.unregister();
            alice.unregister();
        }
    }

    /** Established TCP connections to the core's port, as the kernel lists them. */
    private static List<String> tcpConnectionsToCore() throws Exception {
        Process ss = new ProcessBuilder("ss", "-Htn", "state", "established", "( dport = :" + TestBed.CORE_PORT + " )")
                .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes());
        ss.waitFor();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void anUnregisteredClientCannotOriginate() {
        try (WsSipClient stranger = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            SipMessage refused = stranger.sendMessage("sip:bob@ims.example.test", "hi");
            assertEquals(403, refused.status());
        }
    }

    @Test
    void aRequestForAClosedFlowFailsWith430AndTheBindingIsGone() throws Exception {
        try (WsSipClient alice = registered(SipClientIdentity.alice())) {
            WsSipClient bob = registered(SipClientIdentity.bob());
            assertEquals(1, api.registrationsOf("sip:bob@ims.example.test").size());
            bob.close();
            api.awaitRegistrations(list -> list.stream()
                    .noneMatch(r -> "sip:bob@ims.example.test".equals(r.getString("impu"))), Duration.ofSeconds(5));

            SipMessage failed = alice.sendMessage("sip:bob@ims.example.test", "are you there?");
            assertTrue(failed.status() == 430 || failed.status() == 480, failed.toString());
            alice.unregister();
        }
    }
}

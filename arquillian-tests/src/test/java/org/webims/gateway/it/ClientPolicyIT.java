package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.PolicyAdmin;

/**
 * Service policy at the edge (TS 22.228 §11.2): REGISTER of a barred subscriber or beyond its provider's
 * registrations, and MESSAGE either way for a provider without messaging, refused with 403 and a Warning naming the
 * layer; nothing reaches the core (or the client). The provider is found by the WebSocket handshake's Origin.
 */
class ClientPolicyIT extends GatewayTestBase {
    private static final String ALICE = "sip:alice@ims.example.test";
    /** The test server's other allowed origin (gateway.ws.allowed-origins): a third party's web application. */
    private static final String SHOP = "http://127.0.0.1:8197";
    private final PolicyAdmin policy = new PolicyAdmin();

    @AfterEach
    void unrestricted() throws Exception {
        policy.clear();
    }

    private static WsSipClient connect(String origin, SipClientIdentity identity) {
        return WsSipClient.connect(WsSipClient.DEFAULT_URI, origin, identity, "sip");
    }

    private static long coreLines(String fragment) throws Exception {
        try (var lines = Files.lines(core.log(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(fragment)).count();
        }
    }

    private static void assertForbidden(SipMessage answer, String warning) {
        assertEquals(403, answer.status(), answer.toString());
        assertTrue(answer.header("Warning").endsWith("\"" + warning + "\""), answer.header("Warning"));
    }

    @Test
    void aBarredSubscriberCannotRegisterAndNothingReachesTheCoreUntilTheBarringIsLifted() throws Exception {
        policy.putSubscriber(ALICE, "{\"barred\": true}");
        try (WsSipClient alice = connect(TestBed.ORIGIN, SipClientIdentity.alice())) {
            long before = coreLines("IN REGISTER sip:");
            assertForbidden(alice.register(600), "subscriber barred by subscriber " + ALICE);
            assertEquals(before, coreLines("IN REGISTER sip:"), "nothing reached Kamailio");

            policy.putSubscriber(ALICE, "{\"barred\": false}"); // through the API, no restart
            assertEquals(200, alice.register(600).status());
            assertEquals(200, alice.unregister().status(), "a de-registration is never refused");
        }
    }

    @Test
    void aProviderIsLimitedToItsRegistrationsAcrossItsUsers() throws Exception {
        policy.putProvider("shop", "{\"origins\": [\"" + SHOP + "\"], \"maxRegistrations\": 1}");
        try (WsSipClient alice = connect(SHOP, SipClientIdentity.alice());
                WsSipClient bob = connect(SHOP, SipClientIdentity.bob());
                WsSipClient operatorsBob = connect(TestBed.ORIGIN, SipClientIdentity.bob())) {
            assertEquals(200, alice.register(600).status());
            assertEquals(200, alice.register(600).status(), "a refresh is not counted twice");
            assertForbidden(bob.register(600), "registration limit of provider shop reached");
            assertEquals(200, operatorsBob.register(600).status(), "the operator's own client is not the shop's");
            assertEquals(200, alice.unregister().status());
            assertEquals(200, bob.register(600).status(), "a place freed by a de-registration");
        }
    }

    @Test
    void aProviderWithoutMessagingGets403ForMessageBothWays() throws Exception {
        policy.putProvider("shop", "{\"origins\": [\"" + SHOP + "\"], \"services\": [\"audio\", \"video\"]}");
        try (WsSipClient alice = connect(SHOP, SipClientIdentity.alice());
                WsSipClient bob = connect(TestBed.ORIGIN, SipClientIdentity.bob())) {
            assertEquals(200, alice.register(600).status());
            assertEquals(200, bob.register(600).status());
            long before = coreLines("IN MESSAGE ");
            assertForbidden(alice.sendMessage("sip:bob@ims.example.test", "hello"),
                    "messaging not allowed by provider shop");
            assertEquals(before, coreLines("IN MESSAGE "), "nothing reached Kamailio");

            Sipp.Result toAlice = Sipp.scenario("message-uac.xml").remote(core.hostPort())
                    .key("ruri", ALICE).key("from", "sip:phone@ims.example.test").key("text", "hi")
                    .expect("403").run(Duration.ofSeconds(30));
            assertTrue(toAlice.ok(), toAlice.describe());
            assertTrue(alice.receivedRequests().stream().noneMatch(m -> "MESSAGE".equals(m.method())));

            assertEquals(200, bob.sendMessage(ALICE.replace("alice", "bob"), "to myself").status(),
                    "the operator's own client may message");
        }
    }
}

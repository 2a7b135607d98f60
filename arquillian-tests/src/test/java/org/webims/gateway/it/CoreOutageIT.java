package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.ImsCore;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * Issue 9, finding 13: the IMS core stopped and started again. The gateway probes it with OPTIONS (RFC 3261 §11,
 * every second on the test server, down after 3 failures); while it is down, new requests from clients get 503 with
 * Retry-After and a Warning at once instead of 408 after 64*T1; when it answers again (Kamailio restarted with an
 * empty location table), registered clients' connections are closed with 1012 so that they register again, after
 * which requests routed by the core toward them arrive again instead of 404.
 */
class CoreOutageIT extends GatewayTestBase {
    /** Three probes of one second each, and the time to notice the last one failed. */
    private static final Duration NOTICE = Duration.ofSeconds(15);
    /** "At once": far below the 6.4 s a transaction toward a silent core takes on the test server. */
    private static final Duration AT_ONCE = Duration.ofSeconds(2);

    @BeforeEach
    void coreUp() throws Exception {
        api.awaitCoreState("UP", NOTICE);
    }

    /** A failed test must not leave the next one without a core. */
    @AfterEach
    void coreRunning() throws Exception {
        if (!core.isAlive()) {
            core = ImsCore.start(TestBed.CORE_PORT);
        }
    }

    @Test
    void whileTheCoreIsDownNewRequestsFromClientsGet503WithRetryAfterAtOnce() throws Exception {
        try (WsSipClient alice = registered(SipClientIdentity.alice())) {
            core.close();
            api.awaitCoreState("DOWN", NOTICE);

            assertRefusedAtOnce("REGISTER", () -> alice.register(600));
            assertRefusedAtOnce("MESSAGE", () -> alice.sendMessage("sip:bob@ims.example.test", "anyone there?"));
            assertRefusedAtOnce("INVITE", () -> {
                WsCall call = new WsCall(alice, "sip:bob@ims.example.test").invite(WebrtcSdp.opusOffer());
                SipMessage refusal = call.awaitFinal(AT_ONCE);
                call.ackRefusal(refusal);
                return refusal;
            });
            WsCall emergency = new WsCall(alice, "urn:service:sos").invite(WebrtcSdp.opusOffer());
            SipMessage refusal = emergency.awaitFinal(AT_ONCE);
            assertEquals(380, refusal.status(), "an emergency call is refused as such, core or no core");
            emergency.ackRefusal(refusal);
            assertTrue(alice.isOpen(), "the client's connection stays open while the core is down");
        } finally {
            core = ImsCore.start(TestBed.CORE_PORT);
        }
        api.awaitCoreState("UP", NOTICE);
    }

    @Test
    void afterTheCoreRestartedRegisteredClientsAreToldToRegisterAgainAndAreReachedAgain() throws Exception {
        WsSipClient alice = registered(SipClientIdentity.alice());
        WsSipClient bob = registered(SipClientIdentity.bob());
        WsSipClient stranger = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN, "sip");
        try {
            core.close();
            api.awaitCoreState("DOWN", NOTICE);
            core = ImsCore.start(TestBed.CORE_PORT);
            assertTrue(!core.locationDump().contains("alice"), "the restarted core lost the registrations");

            for (WsSipClient client : new WsSipClient[] {alice, bob}) {
                WsSipClient.CloseStatus closed = client.awaitClose(NOTICE);
                assertEquals(1012, closed.code(), "closed as a service restart: " + closed);
                assertTrue(closed.reason().contains("register again"), closed.reason());
            }
            assertTrue(stranger.isOpen(), "a connection that never registered is left alone");
            assertEquals("UP", api.core().getString("state"));
            // the closed flows' bindings are gone (removed on a worker after the close frames went)
            api.awaitRegistrations(List::isEmpty, NOTICE);
        } finally {
            alice.close();
            bob.close();
            stranger.close();
        }

        // what JsSIP does on such a close: connect again and REGISTER
        try (WsSipClient alice2 = registered(SipClientIdentity.alice());
                WsSipClient bob2 = registered(SipClientIdentity.bob())) {
            SipMessage delivered = bob2.sendMessage("sip:alice@ims.example.test", "welcome back");
            assertEquals(200, delivered.status(), "routed by the core to alice again: " + delivered);
            assertEquals("welcome back", alice2.receivedRequests().get(0).body());
            alice2.unregister();
            bob2.unregister();
        }
    }

    private static WsSipClient registered(SipClientIdentity who) {
        WsSipClient client = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN, who, "sip")
                .withTimeout(Duration.ofSeconds(10));
        SipMessage answer = client.register(600);
        assertEquals(200, answer.status(), answer.toString());
        return client;
    }

    private static void assertRefusedAtOnce(String what, Supplier<SipMessage> send) {
        long start = System.nanoTime();
        SipMessage refusal = send.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(503, refusal.status(), what + ": " + refusal);
        assertTrue(took.compareTo(AT_ONCE) < 0, what + " answered after " + took);
        assertNotNull(refusal.header("Retry-After"), what + " has Retry-After: " + refusal);
        assertTrue(Integer.parseInt(refusal.header("Retry-After").split("[;( ]")[0].trim()) > 0, refusal.toString());
        assertTrue(refusal.header("Warning").contains("IMS core"), what + " says why: " + refusal);
    }
}

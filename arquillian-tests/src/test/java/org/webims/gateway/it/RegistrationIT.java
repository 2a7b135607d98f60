package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipRequestFactory;
import org.webims.gateway.it.client.WsSipClient;

/**
 * Registration of a WebRTC IMS client through the gateway to the IMS core (TS 24.371 §6.1 scenario 1,
 * RFC 7118, RFC 5626, RFC 3327): the challenge passes through, the core stores our Path, the gateway keeps the
 * binding, and refresh, de-registration and expiry keep both in step.
 */
class RegistrationIT extends GatewayTestBase {
    private static final String ORIGIN = TestBed.ORIGIN;

    @Test
    void registersWithDigestThroughTheGatewayAndTheCoreStoresOurPath() throws Exception {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            var factory = alice.requestFactory();
            SipMessage challenge = alice.request(
                    factory.register(factory.nextRegisterCseq(), SipRequestFactory.newTag(), 600, null));
            assertEquals(401, challenge.status(), "the core's challenge reaches the client unchanged");
            assertNotNull(challenge.header("WWW-Authenticate"));

            SipMessage ok = alice.register(600);
            assertEquals(200, ok.status(), ok.toString());
            assertEquals(List.of("SIP/2.0/WSS " + alice.requestFactory().viaHost()),
                    ok.headers("Via").stream().map(v -> v.split(";")[0]).toList(),
                    "only the client's own Via comes back, transport unchanged (RFC 3261 §8.2.6.2)");
            String path = ok.header("Path");
            assertNotNull(path, "the registrar echoes our Path");
            assertTrue(path.contains("@127.0.0.1:" + TestBed.SIP_PORT) && path.contains(";lr") && path.contains(";ob"), path);

            String location = core.locationDump();
            assertTrue(location.contains(path.replace("<", "").replace(">", "").split(";")[0].substring(4)),
                    "Kamailio's location table holds the flow token of our Path:\n" + location);

            List<JsonObject> bindings = api.registrationsOf("sip:alice@ims.example.test");
            assertEquals(1, bindings.size(), bindings.toString());
            JsonObject binding = bindings.get(0);
            assertEquals(alice.requestFactory().contactUri(), binding.getString("contact"));
            assertEquals("<" + alice.requestFactory().instanceId() + ">", binding.getString("instance"));
            assertEquals(1, binding.getInt("regId"));
            assertEquals("ws", binding.getString("transport"));
            assertEquals(List.of("<sip:orig@127.0.0.1:" + TestBed.CORE_PORT + ";lr>"),
                    binding.getJsonArray("serviceRoute").getValuesAs(v -> ((jakarta.json.JsonString) v).getString()));
            assertEquals("sip:alice@ims.example.test",
                    binding.getJsonArray("associatedUris").getString(0));
            alice.unregister();
        }
    }

    @Test
    void aClientsOwnPathNeverReachesTheCoresLocationTable() throws Exception {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            SipMessage ok = alice.register(600, SipClientIdentity.alice().password(), List.of(
                    "Path: <sip:attacker@192.0.2.66;lr>", // RFC 3327: would route the user's calls around us
                    // stripped too (TrustBoundaryTest); the core keeps no trace of them to check here
                    "P-Charging-Vector: icid-value=forged-by-the-client",
                    "P-Served-User: <sip:bob@ims.example.test>"));
            assertEquals(200, ok.status(), ok.toString());
            assertEquals(1, ok.headers("Path").size(), "the registrar stored one Path, ours: " + ok.headers("Path"));
            assertTrue(ok.header("Path").contains("@127.0.0.1:" + TestBed.SIP_PORT), ok.header("Path"));
            String location = core.locationDump();
            assertFalse(location.contains("192.0.2.66"), "Kamailio stored no route of the client's:\n" + location);
            alice.unregister();
        }
    }

    @Test
    void registersOverSecureWebSocket() throws Exception {
        java.net.URI wss = java.net.URI.create("wss://127.0.0.1:" + TestBed.HTTPS_PORT + "/sip");
        try (WsSipClient alice = WsSipClient.connect(wss, "https://127.0.0.1:" + TestBed.HTTPS_PORT,
                SipClientIdentity.alice(), "sip")) {
            assertEquals(200, alice.register(600).status());
            JsonObject binding = api.registrationsOf("sip:alice@ims.example.test").get(0);
            assertEquals("wss", binding.getString("transport"));
            assertEquals(200, alice.unregister().status());
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheCoreAndNothingIsBound() throws Exception {
        try (WsSipClient bob = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.bob(),
                "sip")) {
            SipMessage refused = bob.register(600, "not-bobs-password");
            assertTrue(refused.status() == 401 || refused.status() == 403, refused.toString());
            assertTrue(api.registrationsOf("sip:bob@ims.example.test").isEmpty());
        }
    }

    @Test
    void aRefreshExtendsTheBindingAndExpiresZeroRemovesIt() throws Exception {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            assertEquals(200, alice.register(60).status());
            Instant first = Instant.parse(api.registrationsOf("sip:alice@ims.example.test").get(0)
                    .getString("expires"));

            SipMessage refreshed = alice.register(600);
            assertEquals(200, refreshed.status());
            List<JsonObject> bindings = api.registrationsOf("sip:alice@ims.example.test");
            assertEquals(1, bindings.size(), "a refresh updates the binding, it does not add one");
            Instant second = Instant.parse(bindings.get(0).getString("expires"));
            assertTrue(second.isAfter(first.plusSeconds(500)), first + " -> " + second);

            SipMessage gone = alice.unregister();
            assertEquals(200, gone.status());
            assertTrue(api.registrationsOf("sip:alice@ims.example.test").isEmpty());
            assertTrue(!core.locationDump().contains(alice.requestFactory().contactUri().split(";")[0]),
                    "the core removed the contact too");
        }
    }

    @Test
    void aBindingExpiresWhenTheClientDoesNotRefresh() throws Exception {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, SipClientIdentity.alice(),
                "sip")) {
            assertEquals(200, alice.register(2).status());
            assertEquals(1, api.registrationsOf("sip:alice@ims.example.test").size());
            api.awaitRegistrations(list -> list.stream()
                    .noneMatch(r -> "sip:alice@ims.example.test".equals(r.getString("impu"))), Duration.ofSeconds(8));
        }
    }

    @Test
    void theRegistrationListNeedsAdminCredentials() throws Exception {
        assertEquals(401, api.get("registrations", false).statusCode());
        assertEquals(200, api.get("registrations", true).statusCode());
        assertEquals(401, api.get("calls", false).statusCode());
        assertEquals(401, api.get("anything-added-later", false).statusCode(), "all of /api needs the admin role");
    }

    /**
     * Finding 2 of the hardening issue: a client reconnecting with a new {@code +sip.instance} each time left a stale
     * binding at the core every time, until the core's 200 to REGISTER no longer fitted any transport. The gateway
     * keeps at most {@code gateway.registration.max-per-aor} (20 on the test server) at the core for one identity.
     */
    @Test
    void reconnectingClientsCannotPileUpBindingsAtTheCore() throws Exception {
        SipClientIdentity who = new SipClientIdentity("sip:bench7701@ims.example.test", "bench7701@ims.example.test",
                "bench-secret", "ims.example.test");
        List<String> contacts = new java.util.ArrayList<>();
        int refusedAt = -1;
        for (int i = 0; i < 25 && refusedAt < 0; i++) {
            WsSipClient client = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, who, "sip");
            SipMessage answer = client.register(600);
            if (answer.status() == 200) {
                contacts.add(client.requestFactory().contactUri().split(";")[0]);
            } else {
                assertEquals(403, answer.status(), answer.toString());
                assertTrue(answer.reason().contains("too many registrations"), answer.reason());
                assertTrue(answer.header("Warning") != null, answer.toString());
                refusedAt = i;
            }
            client.abort(); // the connection breaks: the core keeps the binding until it expires
        }
        assertEquals(20, refusedAt, "the 21st binding of one identity is refused");
        String location = core.locationDump();
        long atCore = contacts.stream().filter(location::contains).count();
        assertEquals(20, atCore, "the core holds the 20 bindings, no more:\n" + location);
    }
}

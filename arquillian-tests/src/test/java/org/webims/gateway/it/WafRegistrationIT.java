package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.support.PolicyAdmin;
import org.webims.gateway.it.support.Waf;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * Registration with a WAF token (TS 24.371 §6.1 scenario 3, RFC 8898): a guest of a third-party provider registers
 * with {@code Authorization: Bearer}; the eP-CSCF checks the token and registers it at the core with trusted node
 * authentication (TS 33.203 Annex U), which Kamailio accepts without a challenge. Every bad token or misuse is
 * refused (401 invalid_token, or 403) before anything reaches the core.
 */
class WafRegistrationIT extends MediaTestBase {
    /** The third party's web page, on another origin than the gateway's (an allowed origin of the test server). */
    private static final String SHOP = "http://127.0.0.1:8197";
    private final PolicyAdmin policy = new PolicyAdmin();
    private final Waf waf = new Waf(policy);
    private String secret;

    @BeforeEach
    void shopWithGuests() throws Exception {
        policy.putProvider("shop", "{\"origins\": [\"" + SHOP + "\"], \"guestPool\": {\"pattern\": "
                + "\"sip:wguest-{n}@ims.example.test\", \"size\": 20, \"quarantineSeconds\": 0},"
                + " \"guestDestinations\": [\"+15550100\"]}");
        secret = waf.secretOf("shop");
    }

    @AfterEach
    void unrestricted() throws Exception {
        policy.clear();
    }

    private static WsSipClient guest(String origin, String impu) {
        String user = impu.substring(4, impu.indexOf('@'));
        return WsSipClient.connect(WsSipClient.DEFAULT_URI, origin, SipClientIdentity.of(user, "unused"), "sip");
    }

    private static SipMessage registerWith(WsSipClient client, String token) {
        return client.register(600, "unused", List.of("Authorization: Bearer " + token));
    }

    private static long coreLines(String fragment) throws Exception {
        try (var lines = Files.lines(core.log(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(fragment)).count();
        }
    }

    @Test
    void aGuestRegistersWithItsTokenThroughTrustedNodeAuthentication() throws Exception {
        JsonObject token = waf.guestToken("shop", secret);
        String impu = token.getString("impu");
        try (WsSipClient client = guest(SHOP, impu)) {
            SipMessage ok = registerWith(client, token.getString("access_token"));
            assertEquals(200, ok.status(), ok.toString());
            String impi = impu.substring(4);
            assertTrue(coreLines(impi + " authenticated by trusted node") >= 1,
                    "Kamailio took the REGISTER with integrity-protected from the gateway, without a challenge");
            assertEquals(1, api.registrationsOf(impu).size());
            assertEquals(200, client.register(600, "unused").status(), "a refresh on the connection needs no token");
            assertEquals(200, client.unregister().status());
        }
    }

    @Test
    void aGuestsConnectionClosingDeregistersItAtTheCore() throws Exception {
        JsonObject token = waf.guestToken("shop", secret);
        String impu = token.getString("impu");
        String user = impu.substring(4, impu.indexOf('@'));
        long before = coreLines(impu.substring(4) + " authenticated by trusted node");
        WsSipClient client = guest(SHOP, impu);
        assertEquals(200, registerWith(client, token.getString("access_token")).status());
        assertTrue(core.locationDump().contains(user), "registered at the core");
        client.close(); // the page went away without de-registering
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (core.locationDump().contains(user) && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling pace
        }
        assertTrue(!core.locationDump().contains(user), "the gateway de-registered the guest at the core");
        assertEquals(before + 2, coreLines(impu.substring(4) + " authenticated by trusted node"),
                "the registration and its de-registration, both vouched for by the gateway");
    }

    @Test
    void aGuestMayCallOnlyItsProvidersNumbersAndCannotBeReached() throws Exception {
        JsonObject token = waf.guestToken("shop", secret);
        String impu = token.getString("impu");
        try (WsSipClient client = guest(SHOP, impu)) {
            assertEquals(200, registerWith(client, token.getString("access_token")).status());
            WsCall elsewhere = new WsCall(client, "tel:+442071234567").invite(WebrtcSdp.opusOffer());
            SipMessage refused = elsewhere.awaitFinal(java.time.Duration.ofSeconds(10));
            assertEquals(403, refused.status());
            assertTrue(refused.header("Warning").contains("destination not allowed by provider shop for guests"),
                    refused.header("Warning"));
            elsewhere.ackRefusal(refused);
            assertEquals(0, coreLines("IN INVITE tel:+44"), "nothing reached the core");
            SipMessage toBob = client.sendMessage("sip:bob@ims.example.test", "hello");
            assertEquals(403, toBob.status(), "MESSAGE is held to the same destinations: " + toBob);

            try (var phone = org.webims.gateway.it.peers.Sipp.scenario(TestBed.supportLine())
                    .localPort(TestBed.SUPPORT_PORT).start()) {
                WsCall support = new WsCall(client, "sip:+15550100@ims.example.test;user=phone")
                        .invite(WebrtcSdp.opusOffer());
                SipMessage answer = support.await(200, java.time.Duration.ofSeconds(10));
                assertTrue(answer.body().contains("m=audio"), "the support line answered: " + answer);
                support.ack();
                String invite = phone.awaitLogLine("INVITE privacy=", java.time.Duration.ofSeconds(10)).orElseThrow();
                assertTrue(invite.startsWith("INVITE privacy=id"), "RFC 3323 Privacy: id at the phone: " + invite);
                assertEquals(200, support.bye().status());
                assertTrue(phone.await(java.time.Duration.ofSeconds(10)).ok(), phone.logLines().toString());
            }

            var message = org.webims.gateway.it.peers.Sipp.scenario("message-uac.xml").remote(core.hostPort())
                    .key("ruri", impu).key("from", "sip:phone@ims.example.test").key("text", "hello guest")
                    .expect("403").run(java.time.Duration.ofSeconds(30));
            assertTrue(message.ok(), "a guest cannot be reached: " + message.describe());
            assertEquals(200, client.unregister().status());
        }
    }

    @Test
    void badTokensAndMisuseAreRefusedBeforeTheCore() throws Exception {
        JsonObject token = waf.guestToken("shop", secret);
        String impu = token.getString("impu");
        String jwt = token.getString("access_token");
        long before = coreLines("authenticated by trusted node");
        long registersBefore = coreLines("IN REGISTER sip:ims.example.test from");
        try (WsSipClient wrongOrigin = guest(TestBed.ORIGIN, impu)) {
            SipMessage refused = registerWith(wrongOrigin, jwt);
            assertEquals(403, refused.status(), "another provider's page: " + refused);
        }
        String forged = jwt.substring(0, jwt.length() - 4) + (jwt.endsWith("AAAA") ? "BBBB" : "AAAA");
        try (WsSipClient client = guest(SHOP, impu)) {
            SipMessage refused = registerWith(client, forged);
            assertEquals(401, refused.status());
            String challenge = refused.header("WWW-Authenticate");
            assertTrue(challenge.startsWith("Bearer realm=\"ims.example.test\"")
                    && challenge.contains("error=\"invalid_token\""), "RFC 6750 §3: " + challenge);
        }
        String another = waf.guestToken("shop", secret).getString("access_token"); // a token is spent once checked
        try (WsSipClient other = guest(SHOP, "sip:wguest-19@ims.example.test")) {
            assertEquals(403, registerWith(other, another).status(), "the To is not the token's identity");
        }
        try (WsSipClient client = guest(SHOP, impu)) {
            assertEquals(200, registerWith(client, jwt).status());
            var registered = client.requestFactory(); // its Contact is the binding to remove at the end
            JsonObject second = waf.guestToken("shop", secret);
            client.setIdentity(SipClientIdentity.of(second.getString("impu").substring(4,
                    second.getString("impu").indexOf('@')), "unused"));
            assertEquals(403, registerWith(client, second.getString("access_token")).status(),
                    "a connection never changes identity");
            assertEquals(403, client.register(600, "unused").status(), "nor without a token");
            client.useRequestFactory(registered);
            try (WsSipClient replay = guest(SHOP, impu)) {
                SipMessage refused = registerWith(replay, jwt);
                assertEquals(401, refused.status(), "a token is used once");
                assertTrue(refused.header("WWW-Authenticate").contains("invalid_token"));
            }
            assertEquals(200, client.unregister().status());
        }
        assertEquals(before + 2, coreLines("authenticated by trusted node"), "only the good REGISTER and its "
                + "de-registration got there: the refused ones never reached the core");
        assertEquals(registersBefore + 2, coreLines("IN REGISTER sip:ims.example.test from"),
                "no other REGISTER reached Kamailio");
    }

    /**
     * Issue 11 point 1, keys rotatable: after a rotation (admin API) a token signed with the previous key still
     * registers (it lives five minutes at most); after a second one that key is gone and its tokens are refused.
     */
    @Test
    void aRotatedKeyStaysValidForOneRotationThenItsTokensAreRefused() throws Exception {
        var admin = new org.webims.gateway.it.support.AdminApi();
        JsonObject before = waf.guestToken("shop", secret);
        JsonObject alsoBefore = waf.guestToken("shop", secret);
        var rotated = admin.send("POST", "waf/keys", null);
        assertEquals(201, rotated.statusCode(), rotated.body());
        String kid = Waf.json(rotated.body()).getString("kid");
        assertTrue(waf.get("jwks").body().contains(kid), "the new key is published");
        assertTrue(Waf.json(admin.send("GET", "waf/keys", null).body()).getJsonArray("keys").getString(0).equals(kid),
                "and signs from now on");
        try (WsSipClient client = guest(SHOP, before.getString("impu"))) {
            assertEquals(200, registerWith(client, before.getString("access_token")).status(),
                    "a token of the previous key still registers");
            assertEquals(200, client.unregister().status());
        }
        assertEquals(201, admin.send("POST", "waf/keys", null).statusCode());
        try (WsSipClient client = guest(SHOP, alsoBefore.getString("impu"))) {
            SipMessage refused = registerWith(client, alsoBefore.getString("access_token"));
            assertEquals(401, refused.status(), "its key was retired: " + refused);
        }
        JsonObject after = waf.guestToken("shop", secret);
        try (WsSipClient client = guest(SHOP, after.getString("impu"))) {
            assertEquals(200, registerWith(client, after.getString("access_token")).status(), "the newest key signs");
            assertEquals(200, client.unregister().status());
        }
    }

    @Test
    void anExpiredTokenIsRefusedAsInvalid() throws Exception {
        JsonObject token = waf.guestToken("shop", secret);
        Thread.sleep((TestBed.WAF_TOKEN_SECONDS + 1) * 1000L); // the test server's tokens live 15 s
        long registers = coreLines("IN REGISTER sip:ims.example.test from");
        try (WsSipClient client = guest(SHOP, token.getString("impu"))) {
            SipMessage refused = registerWith(client, token.getString("access_token"));
            assertEquals(401, refused.status(), refused.toString());
            assertTrue(refused.header("WWW-Authenticate").contains("error=\"invalid_token\""));
            assertTrue(refused.header("Warning").contains("expired"), refused.header("Warning"));
        }
        assertEquals(registers, coreLines("IN REGISTER sip:ims.example.test from"), "nothing reached the core");
    }

    /** Issue 11 point 4: a guest's identity rests for the pool's quarantine after its connection closed. */
    @Test
    void anIdentityIsFreeAgainOnlyAfterItsQuarantine() throws Exception {
        policy.putProvider("shop", "{\"origins\": [\"" + SHOP + "\"], \"guestPool\": {\"pattern\":"
                + " \"sip:kiosk-{n}@ims.example.test\", \"size\": 1, \"quarantineSeconds\": 3}}");
        String kiosk = secret;
        JsonObject first = waf.guestToken("shop", kiosk);
        try (WsSipClient client = guest(SHOP, first.getString("impu"))) {
            assertEquals(200, registerWith(client, first.getString("access_token")).status());
            var held = waf.token("shop", kiosk, "grant_type=client_credentials&scope=guest");
            assertEquals(503, held.statusCode(), "the only identity is in use: " + held.body());
            assertEquals("30", held.headers().firstValue("Retry-After").orElse(""),
                    "a live connection has no known end: ask again in a while");
        }
        // the gateway releases the identity once it has seen the connection close (asynchronously)
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        long retryAfter;
        java.net.http.HttpResponse<String> resting;
        do {
            resting = waf.token("shop", kiosk, "grant_type=client_credentials&scope=guest");
            retryAfter = Long.parseLong(resting.headers().firstValue("Retry-After").orElse("0"));
            if (retryAfter > 3) {
                Thread.sleep(100); // polling pace
            }
        } while (retryAfter > 3 && System.nanoTime() < deadline);
        long released = System.nanoTime();
        assertEquals(503, resting.statusCode(), "the only identity rests: " + resting.body());
        assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After: the quarantine left: " + retryAfter);
        Thread.sleep(Math.max(0, 3200 - (System.nanoTime() - released) / 1_000_000));
        JsonObject again = waf.guestToken("shop", kiosk);
        assertEquals(first.getString("impu"), again.getString("impu"), "free again after the quarantine");
    }
}

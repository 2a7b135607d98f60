package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.IdentityProviderPeer;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.PolicyAdmin;
import org.webims.gateway.it.support.Waf;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * TS 24.371 §6.1 scenario 2 for a third party (RFC 8693 token exchange): the application {@code other-app}, which the
 * operator registered as a provider under the id it has at the identity provider, has a subscriber's access token
 * from the operator's identity provider (a real Keycloak); its backend exchanges it at the WAF, with its own client
 * credentials, for a token bound to the subscriber's IMPU; its page registers with that token and calls. Every
 * exchange the WAF must not make is refused with RFC 6749 §5.2 / RFC 8693 §2.2.2 errors.
 */
class WafExchangeIT extends MediaTestBase {
    /** The third party's page: an allowed origin of the test server, not the gateway's own. */
    private static final String APP_PAGE = "http://127.0.0.1:8197";
    private static IdentityProviderPeer idp;
    private final PolicyAdmin policy = new PolicyAdmin();
    private final Waf waf = new Waf(policy);
    private String secret;

    @BeforeAll
    static void identityProvider() {
        idp = IdentityProviderPeer.shared();
    }

    @BeforeEach
    void thirdPartyApplication() throws Exception {
        policy.putProvider("other-app", "{\"origins\": [\"" + APP_PAGE + "\"]}");
        secret = waf.secretOf("other-app");
    }

    @AfterEach
    void unrestricted() throws Exception {
        policy.clear();
    }

    private String alicesTokenAtTheApplication() throws Exception {
        return idp.passwordGrant("other-app", "other-idp-secret", "alice", "alice-web-password");
    }

    private static long coreLines(String fragment) throws Exception {
        try (var lines = Files.lines(core.log(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(fragment)).count();
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String error, String description) {
        assertEquals(status, response.statusCode(), response.body());
        JsonObject body = Waf.json(response.body());
        assertEquals(error, body.getString("error"), response.body());
        assertTrue(body.getString("error_description").contains(description), response.body());
    }

    @Test
    void theApplicationsBackendExchangesTheSubscribersTokenAndItsPageRegistersAndCalls() throws Exception {
        long vouched = coreLines("alice@ims.example.test authenticated by trusted node");
        HttpResponse<String> exchanged = waf.exchange("other-app", secret, alicesTokenAtTheApplication());
        assertEquals(200, exchanged.statusCode(), exchanged.body());
        JsonObject token = Waf.json(exchanged.body());
        assertEquals("sip:alice@ims.example.test", token.getString("impu"), "the IMPU is the identity provider's");
        assertEquals("Bearer", token.getString("token_type"));
        assertEquals("urn:ietf:params:oauth:token-type:access_token", token.getString("issued_token_type"));
        String jwt = token.getString("access_token");
        try (WsSipClient page = WsSipClient.connect(WsSipClient.DEFAULT_URI, APP_PAGE,
                SipClientIdentity.of("alice", "unused"), "sip");
             Sipp.Running phone = Sipp.scenario("uas-answer.xml").args("-rtp_echo").start()) {
            List<String> bearer = List.of("Authorization: Bearer " + jwt);
            assertEquals(200, page.register(600, "unused", bearer).status());
            assertTrue(coreLines("alice@ims.example.test authenticated by trusted node") > vouched,
                    "registered at the core with trusted node authentication");
            assertEquals(200, page.register(600, "unused", bearer).status(),
                    "a refresh that sends the same token again is a refresh, not a replay");

            WsCall call = new WsCall(page, "sip:uas@" + phone.hostPort()).invite(WebrtcSdp.opusOffer());
            SipMessage answer = call.await(200, Duration.ofSeconds(10));
            assertTrue(answer.body().contains("m=audio"), answer.toString());
            call.ack();
            assertEquals(200, call.bye().status());
            assertTrue(phone.await(Duration.ofSeconds(10)).ok(), phone.logLines().toString());
            assertEquals(200, page.unregister().status());
        }
        try (WsSipClient operatorsPage = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN,
                SipClientIdentity.of("alice", "unused"), "sip")) {
            String another = Waf.json(waf.exchange("other-app", secret, alicesTokenAtTheApplication()).body())
                    .getString("access_token");
            SipMessage refused = operatorsPage.register(600, "unused", List.of("Authorization: Bearer " + another));
            assertEquals(403, refused.status(), "the application's token is good only on its own pages: " + refused);
        }
    }

    @Test
    void exchangesTheWafMustNotMakeAreRefused() throws Exception {
        String alice = alicesTokenAtTheApplication();
        assertError(waf.exchange(null, null, alice), 400, "invalid_request", "issued to another client");
        policy.putProvider("shop", "{\"origins\": [\"http://127.0.0.1:8199\"]}");
        String shopSecret = waf.secretOf("shop");
        assertError(waf.exchange("shop", shopSecret, alice), 400, "invalid_request", "issued to another client");
        assertError(waf.exchange("other-app", "wrong", alice), 401, "invalid_client", "wrong secret");
        assertError(waf.exchange("other-app", secret, "not.a.token"), 400, "invalid_request", "subject_token");
        assertError(waf.token("other-app", secret, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-"
                + "exchange&subject_token=" + alice), 400, "invalid_request", "subject_token_type");
        String wafToken = Waf.json(waf.exchange("other-app", secret, alice).body()).getString("access_token");
        assertError(waf.exchange("other-app", secret, wafToken), 400, "invalid_request", "refused");
        assertError(waf.token("other-app", secret, "grant_type=client_credentials&scope=guest"), 400, "invalid_scope",
                "no guest pool");
    }
}

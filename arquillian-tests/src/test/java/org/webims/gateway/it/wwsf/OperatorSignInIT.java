package org.webims.gateway.it.wwsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.MediaTestBase;
import org.webims.gateway.it.browser.JsonLike;
import org.webims.gateway.it.peers.IdentityProviderPeer;
import org.webims.gateway.it.peers.Sipp;

/**
 * TS 24.371 §6.1 scenario 2 on the operator's own page: "Sign in with your operator account" takes the user through
 * the operator's identity provider (a real Keycloak, its own login form filled in Chromium), the page redeems the
 * code with PKCE, exchanges the token at the WAF and registers with it; the gateway registers the subscriber at the
 * core with trusted node authentication (Kamailio accepts it without a challenge). The IMS password is never asked.
 */
class OperatorSignInIT extends MediaTestBase {
    private static final Duration WAIT = Softphone.WAIT;
    private static PageDriver driver;

    @BeforeAll
    static void startBrowserAndIdentityProvider() {
        IdentityProviderPeer.shared();
        driver = PageDriver.launch();
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.close();
        }
    }

    private static long coreLines(String fragment) throws Exception {
        try (var lines = Files.lines(core.log(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(fragment)).count();
        }
    }

    /** Opens the softphone, presses "Sign in with your operator account" and fills the identity provider's form. */
    private static Softphone signInAtTheOperator(String user, String password) {
        Softphone phone = Softphone.open(driver, user, "1000");
        phone.page().waitUntil("() => document.documentElement.dataset.operatorSignin === 'offered'", null, WAIT);
        assertTrue(phone.page().isVisible("#operator-signin-button"), "the page offers operator sign-in");
        phone.page().click("#operator-signin-button");
        phone.page().waitFor("#username", WAIT); // Keycloak's own login page
        assertTrue(phone.page().evaluate("() => location.origin", null).asString()
                .equals(IdentityProviderPeer.ORIGIN), "the password is typed on the identity provider's page");
        phone.page().fill("#username", user);
        phone.page().fill("#password", password);
        phone.page().click("#kc-login");
        return phone;
    }

    @Test
    void aSubscriberSignsInAtTheOperatorRegistersWithATokenAndCallsWithMedia() throws Exception {
        long vouched = coreLines("alice@ims.example.test authenticated by trusted node");
        Softphone alice = signInAtTheOperator("alice", "alice-web-password");
        try (Sipp.Running phone = Sipp.scenario("uas-answer.xml").args("-rtp_echo").start()) {
            alice.waitRegistered();
            assertEquals("Registered as sip:alice@ims.example.test", alice.registrationText());
            assertFalse(alice.page().evaluate("() => location.search", null).asString().contains("code="),
                    "the sign-in code left the address bar");
            String stored = alice.page().evaluate("() => JSON.stringify(Object.assign({}, localStorage,"
                    + " sessionStorage))", null).asString();
            assertFalse(stored.contains("eyJ"), "no token is kept in the browser's storage: " + stored);
            assertTrue(coreLines("alice@ims.example.test authenticated by trusted node") > vouched,
                    "Kamailio took the REGISTER vouched for by the gateway, without a challenge");
            assertEquals(1, api.registrationsOf("sip:alice@ims.example.test").size());

            alice.dial("sip:uas@" + phone.hostPort());
            alice.waitCallState("active");
            JsonLike media = alice.waitMedia(50);
            assertTrue(media.get("in").asLong() >= 50 && media.get("out").asLong() >= 50
                    && media.get("energy").asDouble() > 0, "media both ways: " + media);
            alice.screenshot("wwsf-operator-sign-in-call");
            alice.hangup();
            alice.waitCallState("ended");
            assertTrue(phone.await(WAIT).ok(), phone.logLines().toString());
        } finally {
            alice.close();
        }
    }

    @Test
    void aWrongPasswordStaysAtTheIdentityProvider() throws Exception {
        Softphone bob = signInAtTheOperator("bob", "not-bobs-password");
        try {
            bob.page().waitFor("#input-error, .kc-feedback-text, #kc-error-message, [id*=error]", WAIT);
            assertEquals(IdentityProviderPeer.ORIGIN, bob.page().evaluate("() => location.origin", null).asString(),
                    "still on the identity provider's page");
            assertTrue(api.registrationsOf("sip:bob@ims.example.test").isEmpty(), "nothing registered");
        } finally {
            bob.close();
        }
    }

    /** The page's policy is a header (a meta policy cannot forbid framing), on the page however its path is spelt. */
    @Test
    void thePageMayTalkToItsOriginAndTheIdentityProviderOnlyAndIsNeverFramed() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var options = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                org.webims.gateway.it.TestBed.ORIGIN + "/waf/sign-in")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, options.statusCode());
        assertTrue(options.body().contains("\"clientId\":\"webims-softphone\"")
                && options.body().contains(IdentityProviderPeer.ISSUER), options.body());
        for (String path : new String[] {"/", "/index.html", "//index.html", "/;x=1"}) {
            var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    org.webims.gateway.it.TestBed.ORIGIN + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("connect-src 'self' " + IdentityProviderPeer.ORIGIN + ";"), path + ": " + csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), path + ": " + csp);
            assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""), path);
        }
    }
}

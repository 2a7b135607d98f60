package org.webims.gateway.it.wwsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.MediaTestBase;
import org.webims.gateway.it.TestBed;
import org.webims.gateway.it.browser.JsonLike;
import org.webims.gateway.it.peers.IdentityProviderPeer;
import org.webims.gateway.it.peers.ShopPeer;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.PolicyAdmin;
import org.webims.gateway.it.support.Waf;

/**
 * The demo third party (issue 11 point 5) on its own origin, driven in Chromium: its server keeps the shop's WAF
 * secret and asks the gateway for tokens; its page loads the gateway's WebRTC IMS client, registers with the token and
 * calls the shop's support line (a SIPp phone the demo core routes +15550100 to, echoing the audio). A guest
 * (scenario 3) reaches support anonymously ({@code Privacy: id} at the phone); a subscriber who signed in at the
 * operator's identity provider through the shop (scenario 2, RFC 8693 exchange by the shop's server) calls as himself.
 */
class ThirdPartySiteIT extends MediaTestBase {
    private static final Duration WAIT = Softphone.WAIT;
    private static PageDriver driver;
    private static ShopPeer shop;
    private final PolicyAdmin policy = new PolicyAdmin();
    private WebPage page;

    @BeforeAll
    static void startShopBrowserAndIdentityProvider() throws Exception {
        IdentityProviderPeer.shared();
        shop = ShopPeer.start();
        driver = PageDriver.launch();
    }

    @AfterAll
    static void stopAll() {
        if (driver != null) {
            driver.close();
        }
        if (shop != null) {
            shop.close();
        }
    }

    @BeforeEach
    void theOperatorRegistersTheShop() throws Exception {
        policy.putProvider("shop", "{\"origins\": [\"" + shop.origin() + "\"], \"guestPool\": {\"pattern\":"
                + " \"sip:shopguest-{n}@ims.example.test\", \"size\": 5, \"quarantineSeconds\": 0},"
                + " \"guestDestinations\": [\"+15550100\"]}");
        shop.useSecret(new Waf(policy).secretOf("shop"));
    }

    @AfterEach
    void closePage() throws Exception {
        if (page != null) {
            page.close();
        }
        policy.clear();
    }

    private WebPage openShop() {
        WebPage opened = driver.open("shop-" + System.nanoTime(), shop.origin() + "/", "1000");
        opened.waitUntil("() => document.documentElement.dataset.shop === 'ready' && !!window.WebImsClient", null,
                WAIT);
        return opened;
    }

    private void talkToSupport(Sipp.Running support) {
        page.waitFor("#status[data-state=active]", WAIT);
        JsonLike media = page.waitUntil("() => { const d = document.getElementById('media').dataset;"
                + " const m = {in: Number(d.in), out: Number(d.out), energy: Number(d.energy)};"
                + " return m.in >= 50 && m.out >= 50 && m.energy > 0 ? m : null; }", null, WAIT);
        assertTrue(media.get("in").asLong() >= 50, "audio both ways: " + media);
        page.click("#hang-up");
        page.waitFor("#status[data-state=ended]", WAIT);
        assertTrue(support.await(WAIT).ok(), support.logLines().toString());
    }

    @Test
    void aGuestCallsSupportAnonymouslyWithAudioBothWays() throws Exception {
        try (Sipp.Running support = Sipp.scenario(TestBed.supportLine()).localPort(TestBed.SUPPORT_PORT)
                .args("-rtp_echo").start()) {
            page = openShop();
            page.click("#call-guest");
            talkToSupport(support);
            String invite = support.awaitLogLine("INVITE privacy=", WAIT).orElseThrow();
            assertTrue(invite.contains("privacy=id"), "RFC 3323: the guest's identity is withheld: " + invite);
            assertTrue(invite.contains("shopguest-"), "an identity of the shop's pool: " + invite);
        }
        api.awaitRegistrations(r -> r.stream().noneMatch(b -> b.toString().contains("shopguest-")),
                Duration.ofSeconds(10));
    }

    @Test
    void aSubscriberSignsInThroughTheShopAndCallsSupportAsHimself() throws Exception {
        try (Sipp.Running support = Sipp.scenario(TestBed.supportLine()).localPort(TestBed.SUPPORT_PORT)
                .args("-rtp_echo").start()) {
            page = openShop();
            page.click("#sign-in");
            page.waitFor("#username", WAIT);
            page.fill("#username", "bob");
            page.fill("#password", "bob-web-password");
            page.click("#kc-login");
            page.waitFor("#call-subscriber:not([hidden])", WAIT);
            assertEquals("sip:bob@ims.example.test", page.text("#subscriber"));
            page.click("#call-subscriber");
            talkToSupport(support);
            String invite = support.awaitLogLine("INVITE privacy=", WAIT).orElseThrow();
            assertTrue(invite.contains("bob@ims.example.test") && !invite.contains("privacy=id"), invite);
        }
        assertTrue(shop.logLines().stream().noneMatch(l -> l.contains("eyJ")), "no token in the shop's log");
    }
}

package org.webims.gateway.it.wwsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.MediaTestBase;
import org.webims.gateway.it.TestBed;
import org.webims.gateway.it.peers.Sipp;

/**
 * The softphone served by the gateway at {@code /} (the WWSF, TS 23.228 Annex U), driven through its own page in
 * headless Chromium: signing in and registering through the gateway to the IMS core, and the messages a user reads
 * when something is refused (wrong password, emergency number, busy callee, unknown number).
 */
class SoftphoneSignInIT extends MediaTestBase {
    private static PageDriver driver;
    private Softphone phone;

    @BeforeAll
    static void startBrowser() {
        driver = PageDriver.launch();
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.close();
        }
    }

    @AfterEach
    void closePage() throws Exception {
        if (phone != null) {
            phone.close();
        }
        api.awaitCalls(List::isEmpty, Duration.ofSeconds(10)); // no call is left in the gateway
    }

    @Test
    void signsInRegistersAndKeepsThePasswordOutOfTheBrowserStorage() throws Exception {
        phone = Softphone.open(driver, "alice", "1000");
        phone.page().fill("#public-id", "sip:alice@ims.example.test");
        assertEquals("alice@ims.example.test", phone.privateIdentityField(),
                "the private identity follows the public one");
        phone.page().fill("#password", "alice-demo-secret");
        phone.screenshot("wwsf-sign-in");
        phone.page().click("#signin-button");
        phone.waitRegistered();
        assertEquals("Registered as sip:alice@ims.example.test", phone.registrationText());
        assertFalse(api.registrationsOf("sip:alice@ims.example.test").isEmpty(),
                "the gateway holds the binding: " + api.registrations());
        String stored = phone.page().evaluate("() => JSON.stringify(Object.assign({}, localStorage))", null)
                .asString();
        assertTrue(stored.contains("sip:alice@ims.example.test"), "the identities are remembered: " + stored);
        assertFalse(stored.contains("alice-demo-secret"), "the password is not kept unless asked: " + stored);

        phone.page().click("#sign-out");
        phone.page().waitFor("#signin", Softphone.WAIT);
        assertEquals("signed-out", phone.registrationState());
        api.awaitRegistrations(r -> r.stream().noneMatch(b -> b.toString().contains("sip:alice@")),
                Duration.ofSeconds(10));
    }

    @Test
    void aWrongPasswordIsRefusedWithItsMessage() {
        phone = Softphone.open(driver, "alice", "1000");
        phone.signIn("sip:alice@ims.example.test", "not-the-password");
        Softphone.Notice notice = phone.waitNotice();
        assertEquals("credentials", notice.kind(), notice.toString());
        assertEquals("Wrong password", notice.title());
        assertTrue(notice.text().contains("sip:alice@ims.example.test"), notice.text());
        assertEquals("signed-out", phone.registrationState());
        assertTrue(phone.page().isVisible("#signin"), "back at the sign-in form");
        assertEquals("", phone.page().evaluate("() => document.getElementById('password').value", null).asString(),
                "the refused password is cleared");
    }

    @Test
    void aRememberedIdentitySignsInAgainWhenThePageIsReopened() {
        phone = Softphone.open(driver, "alice", "1000");
        phone.page().fill("#public-id", "sip:alice@ims.example.test");
        phone.page().fill("#password", "alice-demo-secret");
        phone.page().check("#remember");
        phone.page().click("#signin-button");
        phone.waitRegistered();
        phone.page().evaluate("() => location.reload()", null);
        phone.page().waitUntil("() => document.documentElement.dataset.wwsf === 'ready'", null, Softphone.WAIT);
        phone.waitRegistered();
        assertEquals("Registered as sip:alice@ims.example.test", phone.registrationText());
    }

    /**
     * The network drops the page's connection (its TCP connection to the gateway is aborted, as by a broken link:
     * Chromium's offline mode alone leaves an open WebSocket alone) and stays down a moment; when it is back, the
     * page reconnects and registers again by itself.
     */
    @Test
    void itReconnectsAndRegistersAgainWhenTheNetworkComesBack() throws Exception {
        phone = Softphone.open(driver, "alice", "1000");
        phone.signInAs("alice");
        String flowBefore = api.registrationsOf("sip:alice@ims.example.test").get(0).getString("flow");
        phone.page().setOffline(true);
        abortConnectionsTo(TestBed.HTTP_PORT);
        phone.page().waitFor("#registration[data-state=reconnecting]", Softphone.WAIT);
        assertEquals("Connection lost: reconnecting…", phone.registrationText());
        phone.page().setOffline(false);
        phone.page().waitFor("#registration[data-state=registered]", Duration.ofSeconds(30));
        api.awaitRegistrations(r -> r.stream().anyMatch(b -> "sip:alice@ims.example.test".equals(b.getString("impu"))
                && !flowBefore.equals(b.getString("flow"))), Duration.ofSeconds(10));
    }

    /** {@code ss -K}: aborts every TCP connection to 127.0.0.1:port (the kernel sends a reset to the server). */
    private static void abortConnectionsTo(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-K", "-t", "dst", "127.0.0.1", "dport", "=", Integer.toString(port))
                .redirectErrorStream(true).start();
        String output = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(ss.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && ss.exitValue() == 0,
                "ss -K: " + output);
        assertTrue(output.contains(":" + port), "a connection to port " + port + " was aborted: " + output);
    }

    @Test
    void anEmergencyNumberIsRefusedWithTheAdviceToCallFromAPhone() {
        phone = Softphone.open(driver, "alice", "1000");
        phone.signInAs("alice");
        phone.dial("112");
        Softphone.Notice notice = phone.waitNotice();
        assertEquals("emergency", notice.kind(), notice.toString());
        assertTrue(notice.text().contains("Emergency calls cannot be made from this web phone"), notice.text());
        assertTrue(notice.text().contains("from a mobile or fixed phone"), notice.text());
        phone.screenshot("wwsf-emergency-refused");
        assertTrue(phone.lastHistoryEntry().startsWith("To tel:112: failed"), phone.lastHistoryEntry());
    }

    /** Alice signs in and dials a phone that refuses with {@code scenario}: the notice the page shows her. */
    private Softphone.Notice noticeForACallRefusedBy(String scenario) throws Exception {
        phone = Softphone.open(driver, "alice", "1000");
        phone.signInAs("alice");
        try (Sipp.Running callee = Sipp.scenario(scenario).start()) {
            phone.dial("sip:uas@" + callee.hostPort());
            Softphone.Notice notice = phone.waitNotice();
            assertTrue(callee.await(Softphone.WAIT).ok(), callee.logLines().toString());
            return notice;
        }
    }

    @Test
    void aBusyPhoneIsShownAsBusy() throws Exception {
        Softphone.Notice notice = noticeForACallRefusedBy("uas-busy.xml");
        assertEquals("busy", notice.kind(), notice.toString());
        assertEquals("Busy", notice.title());
        assertTrue(notice.text().contains("is busy"), notice.text());
    }

    @Test
    void aCallTheNetworkRefusesIsShownWithTheNetworksExplanation() throws Exception {
        Softphone.Notice notice = noticeForACallRefusedBy("uas-refuse.xml");
        assertEquals("not-allowed", notice.kind(), notice.toString());
        assertEquals("Service not allowed", notice.title());
        assertTrue(notice.text().contains("International calls are not part of your subscription"),
                "the Warning of the core reaches the user: " + notice.text());
    }

    @Test
    void anUnknownNumberIsShownAsNotFound() {
        phone = Softphone.open(driver, "alice", "1000");
        phone.signInAs("alice");
        phone.dial("+49 30 999 999");
        Softphone.Notice notice = phone.waitNotice();
        assertEquals("not-found", notice.kind(), notice.toString());
        assertTrue(notice.text().contains("tel:+4930999999 does not exist"), notice.text());
    }
}

package org.webims.gateway.it.wwsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.GatewayTestBase;
import org.webims.gateway.it.TestBed;
import org.webims.gateway.it.support.PolicyAdmin;

/**
 * The operator's policy page at {@code /admin/policy.html}, driven in headless Chromium as an administrator signs in:
 * a subscriber edited through the form, the effective policy naming the layer, a bad value shown by its field, the
 * change in the audit trail, and the entry deleted again.
 */
class PolicyAdminPageIT extends GatewayTestBase {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PAGE = "https://127.0.0.1:" + TestBed.HTTPS_PORT + "/admin/policy.html";
    private static final String ALICE = "sip:alice@ims.example.test";
    private static PageDriver driver;
    private WebPage page;

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
    void cleanUp() throws Exception {
        if (page != null) {
            page.close();
        }
        new PolicyAdmin().send("DELETE", "subscribers/" + PolicyAdmin.encode(ALICE), null);
    }

    private void waitText(String selector, String fragment) {
        page.waitUntil("([s, f]) => { const e = document.querySelector(s); return e && e.textContent.includes(f); }",
                java.util.List.of(selector, fragment), WAIT);
    }

    @Test
    void anAdministratorEditsASubscriberAndSeesTheEffectivePolicy() {
        page = driver.openAsAdmin("admin", PAGE, System.getProperty("test.admin.user", "admin"),
                System.getProperty("test.admin.password", "it-admin-secret"));
        waitText("#status", "Loaded.");

        page.fill("#subscribers-key", ALICE);
        page.fill("#subscribers-services", "audio, messaging");
        page.fill("#subscribers-maxCalls", "1");
        page.click("#subscribers-save");
        String row = "#list-subscribers tr[data-key=\"" + ALICE + "\"]";
        page.waitFor(row, WAIT);
        assertTrue(page.text(row).contains("audio, messaging"), page.text(row));

        page.fill("#eff-impu", ALICE);
        page.click("#eff-show");
        String video = "#effective-table tr[data-part=\"video\"]";
        page.waitFor(video, WAIT);
        assertTrue(page.text(video).contains("not allowed"), page.text(video));
        assertTrue(page.text(video).contains("subscriber " + ALICE), page.text(video));
        assertTrue(page.text("#effective-table tr[data-part=\"maxCalls\"]").contains("1"));

        page.fill("#subscribers-maxCalls", "-3");
        page.click("#subscribers-save");
        waitText("#err-subscribers-maxCalls", "maxCalls must be a whole number");
        assertTrue(page.text("#status").startsWith("Not saved"), page.text("#status"));

        String latest = "#changes-table tbody tr:first-child";
        waitText(latest, ALICE);
        assertTrue(page.text(latest).contains("admin") && page.text(latest).contains("PUT")
                && page.text(latest).contains("\"maxCalls\":1"), page.text(latest));
        page.screenshot(Path.of("target", "screenshots", "admin-policy.png"));

        page.click(row + " button.delete");
        page.waitGone(row, WAIT);
        waitText(latest, "DELETE");
    }

    @Test
    void thePageAsksForTheAdminLoginAndIsHttpsOnly() throws Exception {
        HttpResponse<String> anonymous = api.get("../admin/policy.html", false);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        HttpResponse<String> page = api.get("../admin/policy.html", true);
        assertEquals(200, page.statusCode());
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""), "never framed");
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        java.net.http.HttpClient plain = java.net.http.HttpClient.newHttpClient();
        HttpResponse<String> cleartext = plain.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + TestBed.HTTP_PORT + "/admin/policy.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, cleartext.statusCode(), "never a login prompt over plain http");
    }
}

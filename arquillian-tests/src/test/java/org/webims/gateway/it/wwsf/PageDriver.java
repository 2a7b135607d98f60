package org.webims.gateway.it.wwsf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.webims.gateway.it.browser.Browser;
import org.webims.gateway.it.browser.DriverProcess;
import org.webims.gateway.it.browser.JsonLike;

/**
 * Headless Chromium driving real pages of any site (here: the gateway's own softphone at {@code /}) through the
 * generic steps of {@code arquillian-tests/src/test/browser/driver.mjs} ({@code open} with a {@code url},
 * {@code click}, {@code fill}, {@code waitForSelector}, {@code waitForFunction}, {@code evaluate}, ...). The same
 * node driver as {@link org.webims.gateway.it.browser.Browser}, without the JsSIP harness pages.
 *
 * <pre>{@code
 * try (PageDriver driver = PageDriver.launch()) {
 *     WebPage page = driver.open("alice", TestBed.ORIGIN + "/", "1000");   // fake microphone: 1 kHz
 *     page.fill("#public-id", "sip:alice@ims.example.test");
 *     page.click("#signin-button");
 *     page.waitFor("#registration[data-state=registered]", Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * The node project is found through {@code gateway.repo}; {@code npm ci} and its build run when missing. Every
 * wait is bounded; {@link #close()} makes sure node and Chromium are gone. The driver's log (every page's console
 * and every SIP message its WebSocket sent and received) goes to {@code target/browser/wwsf-driver-*.log}.
 */
public final class PageDriver implements AutoCloseable {

    /** The harness' static server of this driver (unused by the softphone pages, but the driver always serves). */
    static final int HARNESS_PORT = 8098;
    private static final Duration OPEN = Duration.ofSeconds(45);

    private final DriverProcess driver;

    private PageDriver(DriverProcess driver) {
        this.driver = driver;
    }

    public static PageDriver launch() {
        Path dir = Browser.projectDir();
        Browser.prepare(dir);
        try {
            return new PageDriver(DriverProcess.start(dir, HARNESS_PORT, "1000", "wwsf-driver"));
        } catch (DriverProcess.NoReply e) {
            throw new IllegalStateException("the page driver did not start: " + e.getMessage(), e);
        }
    }

    /**
     * A page in a new browser context (its own storage) at {@code url}, whose fake microphone plays {@code tone}
     * (Hz, a WAV path, or null for 1 kHz). Pages with different tones run in different Chromium processes.
     */
    public WebPage open(String name, String url, String tone) {
        return open(name, url, tone, Map.of());
    }

    /**
     * An admin page over the test server's https (self-signed) with HTTP Basic credentials given to the browser
     * context, as an operator signs in.
     */
    public WebPage openAsAdmin(String name, String url, String user, String password) {
        return open(name, url, null, Map.of("httpCredentials", Map.of("username", user, "password", password)));
    }

    private WebPage open(String name, String url, String tone, Map<String, Object> extra) {
        Map<String, Object> request = new LinkedHashMap<>(extra);
        request.put("op", "open");
        request.put("page", name);
        request.put("url", url);
        request.put("traceWebSocket", true); // the page's SIP messages go to the driver log
        if (tone != null) {
            request.put("tone", tone);
        }
        request.put("timeoutMs", OPEN.toMillis());
        request(name, request, OPEN);
        return new WebPage(this, name);
    }

    /** The driver's log file: its own lines and every page's console, prefixed by the page name. */
    public Path logFile() {
        return driver.logFile();
    }

    /** Sends one step and waits for its reply; a failed step throws {@link PageStepException}. */
    JsonLike request(String page, Map<String, Object> request, Duration timeout) {
        String what = request.get("op") + (request.containsKey("selector") ? " " + request.get("selector") : "");
        JsonLike answer;
        try {
            answer = driver.exchange(request, timeout);
        } catch (DriverProcess.NoReply e) {
            throw new PageStepException(page, what, e.getMessage(), recentOf(page));
        }
        if (answer.get("ok").isNull() || !answer.get("ok").asBoolean()) {
            throw new PageStepException(page, what, answer.get("error").asStringOr("(no error text)"),
                    recentOf(page));
        }
        return answer.get("result");
    }

    /** The last console lines of a page, as the driver logged them. */
    List<String> recentOf(String page) {
        return driver.consoleOf(page);
    }

    @Override
    public void close() {
        driver.close();
    }
}

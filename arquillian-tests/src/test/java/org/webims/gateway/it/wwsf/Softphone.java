package org.webims.gateway.it.wwsf;

import java.nio.file.Path;
import java.time.Duration;
import org.webims.gateway.it.TestBed;
import org.webims.gateway.it.browser.JsonLike;

/**
 * The gateway's softphone page (the WWSF at {@code /}) as a user sees it: what this class does goes through the
 * page's own form fields and buttons, and what it reads is what the page shows (texts, and the {@code data-*}
 * states the page keeps on its sections).
 */
final class Softphone {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String DOMAIN = "ims.example.test";

    private final WebPage page;

    private Softphone(WebPage page) {
        this.page = page;
    }

    /** A new browser window on the gateway's page, its fake microphone playing {@code tone} Hz. */
    static Softphone open(PageDriver driver, String name, String tone) {
        Softphone phone = new Softphone(driver.open(name + "-" + System.nanoTime(), TestBed.ORIGIN + "/", tone));
        phone.page.waitUntil("() => document.documentElement.dataset.wwsf === 'ready'", null, WAIT);
        phone.page.waitFor("#signin-form", WAIT);
        return phone;
    }

    WebPage page() {
        return page;
    }

    // --- sign-in ---------------------------------------------------------------------------------------------

    /** Types the credentials and presses "Sign in" (the private identity is prefilled from the public one). */
    void signIn(String publicIdentity, String password) {
        page.fill("#public-id", publicIdentity);
        page.fill("#password", password);
        page.click("#signin-button");
    }

    /** Signs in as one of the demo core's subscribers and waits for the registration. */
    void signInAs(String user) {
        signIn("sip:" + user + "@" + DOMAIN, user + "-demo-secret");
        waitRegistered();
    }

    void waitRegistered() {
        page.waitFor("#registration[data-state=registered]", WAIT);
        page.waitFor("#dialer", WAIT);
    }

    String registrationState() {
        return page.attribute("#registration", "data-state");
    }

    String registrationText() {
        return page.text("#registration");
    }

    String privateIdentityField() {
        return page.evaluate("() => document.getElementById('private-id').value", null).asString();
    }

    // --- messages ----------------------------------------------------------------------------------------------

    /** Waits for the message banner and returns {kind, text}. */
    Notice waitNotice() {
        page.waitFor("#notice", WAIT);
        return new Notice(page.attribute("#notice", "data-kind"), page.text("#notice-title"), page.text("#notice-text"));
    }

    record Notice(String kind, String title, String text) {}

    // --- calls -------------------------------------------------------------------------------------------------

    void dial(String target) {
        page.fill("#dial-input", target);
        page.click("#call-audio");
    }

    void dialVideo(String target) {
        page.fill("#dial-input", target);
        page.click("#call-video");
    }

    void waitCallState(String state) {
        page.waitFor("#call[data-state=" + state + "]", WAIT);
    }

    String callStatus() {
        return page.text("#call-status");
    }

    /** Waits for the incoming-call alert and returns who calls, as shown. */
    String waitIncoming() {
        page.waitFor("#incoming", WAIT);
        return page.text("#incoming-from");
    }

    void answer() {
        page.click("#answer-audio");
    }

    void decline() {
        page.click("#decline");
    }

    void hold() {
        page.click("#hold");
        page.waitFor("#call[data-held=true]", WAIT);
    }

    void resume() {
        page.click("#hold");
        page.waitFor("#call[data-held=false]", WAIT);
    }

    void toggleMute() {
        page.click("#mute");
    }

    /** Opens the in-call keypad (if closed) and presses the keys. */
    void pressKeys(String keys) {
        if (!page.isVisible("#call-keypad")) {
            page.click("#keypad-toggle");
        }
        for (char key : keys.toCharArray()) {
            page.click("#call-keypad [data-key=\"" + key + "\"]");
        }
    }

    void transferTo(String target) {
        page.click("#transfer-toggle");
        page.fill("#transfer-input", target);
        page.click("#transfer-button");
    }

    void hangup() {
        page.click("#hangup");
    }

    /**
     * Waits until the call's media line (the page's getStats() every second) shows at least {@code minPackets}
     * audio packets sent and received, and some energy in the received audio; returns {in, out, energy, codec}.
     */
    JsonLike waitMedia(int minPackets) {
        return page.waitUntil("""
                (min) => {
                  const d = document.getElementById('media-line').dataset;
                  const m = { in: Number(d.audioIn || 0), out: Number(d.audioOut || 0),
                              energy: Number(d.audioEnergy || 0), codec: d.codec || '' };
                  return m.in >= min && m.out >= min && m.energy > 0 ? m : false;
                }""", minPackets, WAIT);
    }

    /** Audio packets received so far on the current call, as the media line shows them. */
    long packetsIn() {
        String value = page.attribute("#media-line", "data-audio-in");
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The newest entry of the call history, as shown. */
    String lastHistoryEntry() {
        page.waitFor("#history-list li", WAIT);
        return page.text("#history-list li:first-child .entry");
    }

    /**
     * A PNG of the page under target/screenshots/ (tests write only under target/); {@code -Dscreenshots.dir=DIR}
     * writes them elsewhere, e.g. docs/screenshots/ when the README's pictures are regenerated on purpose.
     */
    void screenshot(String name) {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        page.screenshot(dir.resolve(name + ".png"));
    }

    void close() {
        page.close();
    }
}

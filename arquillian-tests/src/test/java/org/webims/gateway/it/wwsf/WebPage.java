package org.webims.gateway.it.wwsf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.webims.gateway.it.browser.JsonLike;

/**
 * One page of a {@link PageDriver}, in its own browser context: the generic steps a user does (click, fill,
 * press) and what a test reads (text, attributes, a function evaluated in the page). Selectors are Playwright
 * selectors (CSS by default). Each step waits at most {@link #STEP} unless given a timeout.
 */
public final class WebPage {

    static final Duration STEP = Duration.ofSeconds(10);

    private final PageDriver driver;
    private final String name;

    WebPage(PageDriver driver, String name) {
        this.driver = driver;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void click(String selector) {
        step("click", selector, Map.of(), STEP);
    }

    public void fill(String selector, String value) {
        step("fill", selector, Map.of("value", value), STEP);
    }

    public void press(String selector, String key) {
        step("press", selector, Map.of("key", key), STEP);
    }

    public void check(String selector) {
        step("check", selector, Map.of(), STEP);
    }

    public String text(String selector) {
        return step("textContent", selector, Map.of(), STEP).asStringOr("").strip().replaceAll("\\s+", " ");
    }

    public String attribute(String selector, String name) {
        return step("getAttribute", selector, Map.of("name", name), STEP).asStringOr(null);
    }

    public boolean isVisible(String selector) {
        return step("isVisible", selector, Map.of(), STEP).asBoolean();
    }

    public boolean isEnabled(String selector) {
        return step("isEnabled", selector, Map.of(), STEP).asBoolean();
    }

    /** Waits until an element matching selector is visible. */
    public void waitFor(String selector, Duration timeout) {
        step("waitForSelector", selector, Map.of("state", "visible"), timeout);
    }

    /** Waits until no element matching selector is visible. */
    public void waitGone(String selector, Duration timeout) {
        step("waitForSelector", selector, Map.of("state", "hidden"), timeout);
    }

    /**
     * Waits until {@code fn} (the source of a JavaScript function of one argument, run in the page) returns a
     * truthy value, and returns that value.
     */
    public JsonLike waitUntil(String fn, Object arg, Duration timeout) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("fn", fn);
        request.put("arg", arg);
        return send("waitForFunction", request, timeout);
    }

    /** The JSON result of {@code fn} (the source of a JavaScript function of one argument) run in the page. */
    public JsonLike evaluate(String fn, Object arg) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("fn", fn);
        request.put("arg", arg);
        return send("evaluate", request, STEP);
    }

    /** Cuts (or restores) the page's network, as a laptop losing its Wi-Fi. */
    public void setOffline(boolean offline) {
        send("setOffline", Map.of("offline", offline), STEP);
    }

    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        send("screenshot", Map.of("path", file.toAbsolutePath().toString()), STEP);
    }

    /** Closes the page's browser context, as a user closing the window. */
    public void close() {
        send("closePage", Map.of(), STEP);
    }

    private JsonLike step(String op, String selector, Map<String, Object> extra, Duration timeout) {
        Map<String, Object> request = new LinkedHashMap<>(extra);
        request.put("selector", selector);
        return send(op, request, timeout);
    }

    private JsonLike send(String op, Map<String, Object> fields, Duration timeout) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", op);
        request.put("page", name);
        request.putAll(fields);
        request.put("timeoutMs", timeout.toMillis());
        return driver.request(name, request, timeout);
    }

    @Override
    public String toString() {
        return "WebPage[" + name + "]";
    }
}

package org.webims.gateway.it.browser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of a {@link Browser}: a WebRTC IMS client (JsSIP) in its own browser context. {@link #call} runs a
 * method of the page's {@code window.harness} and returns its JSON result; a failure or a step without an answer in
 * time throws {@link BrowserException} with the harness's status and cause and the page's recent console.
 *
 * <p>Harness methods (all asynchronous in the page; options objects are optional):
 * <ul>
 * <li>{@code register({uri, authorizationUser, password, wsUri, expires?, instanceId?, debug?})} →
 *     {@code {status}}; fails with data {@code {status, reason, cause}}; {@code unregister()}, {@code stop()}</li>
 * <li>{@code call(target, {video, toneHz?, extraHeaders?})} → call id ({@code "c1"}); {@code answer({video,
 *     callId?})} → call id; {@code decline(status)}; {@code hangup()}; {@code hold()}, {@code unhold()}</li>
 * <li>{@code sendDTMF(tones, {transportType: "INFO"|"RFC2833"})}, {@code sendInfo(type, body)},
 *     {@code refer(target)} → {@code {status}}, {@code sendMessage(target, text)} → {@code {status}}</li>
 * <li>{@code stats()} → {@code {outboundPackets, inboundPackets, inboundAudioEnergy, totalSamplesReceived, codec,
 *     ...}}, {@code waitMedia({minPackets, timeoutMs})} → stats once audio flows both ways,
 *     {@code toneFrequency()} → Hz of the received audio (0 for silence), {@code toneAnalysis()},
 *     {@code sdp()}, {@code selfTest()} (a loopback peer connection pair, no SIP)</li>
 * <li>{@code events(since?)}, {@code waitEvent(type, {since, callId, match, timeoutMs})}, {@code state()}</li>
 * </ul>
 * The call methods act on the latest call unless given {@code {callId}}.
 */
public final class Page {

    private static final Duration EXTRA = Duration.ofSeconds(2);

    private final Browser browser;
    private final String name;

    Page(Browser browser, String name) {
        this.browser = browser;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * {@code await window.harness[fn](...args)} within 15 s (longer when an options argument asks for a longer
     * {@code timeoutMs}). Arguments: maps, lists, strings, numbers, booleans, null.
     */
    public JsonLike call(String fn, Object... args) {
        Duration timeout = Browser.DEFAULT_CALL_TIMEOUT;
        for (Object arg : args) {
            if (arg instanceof Map<?, ?> map && map.get("timeoutMs") instanceof Number ms) {
                Duration asked = Duration.ofMillis(ms.longValue()).plus(EXTRA);
                if (asked.compareTo(timeout) > 0) {
                    timeout = asked;
                }
            }
        }
        return call(timeout, fn, args);
    }

    /** {@code await window.harness[fn](...args)}, failing after {@code timeout}. */
    public JsonLike call(Duration timeout, String fn, Object... args) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "eval");
        request.put("page", name);
        request.put("fn", fn);
        request.put("args", Arrays.asList(args));
        request.put("timeoutMs", timeout.toMillis());
        return browser.request(name, request, timeout);
    }

    /** The first event of {@code type} recorded by the page (already or within {@code timeout}). */
    public JsonLike waitEvent(String type, Duration timeout) {
        return waitEvent(type, Map.of(), timeout);
    }

    /**
     * The first event of {@code type} whose fields equal those of {@code match} (e.g. {@code Map.of("callId", "c1")}
     * or {@code Map.of("status", 200)}), already recorded or within {@code timeout}.
     */
    public JsonLike waitEvent(String type, Map<String, ?> match, Duration timeout) {
        return waitEvent(type, match, 0, timeout);
    }

    /**
     * As {@link #waitEvent(String, Map, Duration)}, among the events from sequence number {@code since} on (see
     * {@link #mark()}): {@code long m = bob.mark(); ...; bob.waitEvent("newRTCSession", Map.of(), m, timeout)}.
     */
    public JsonLike waitEvent(String type, Map<String, ?> match, long since, Duration timeout) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("match", match);
        options.put("since", since);
        options.put("timeoutMs", timeout.toMillis());
        return call(timeout.plus(EXTRA), "waitEvent", type, options);
    }

    /** The sequence number the page's next event will get: wait for events after this point with it. */
    public long mark() {
        return call("state").get("lastSeq").asLong() + 1;
    }

    /** {@code stats()} once audio flows both ways on the latest call (25 packets each way), within {@code timeout}. */
    public JsonLike waitMedia(Duration timeout) {
        return call(timeout.plus(EXTRA), "waitMedia", Map.of("timeoutMs", timeout.toMillis()));
    }

    /** Every event the page recorded, oldest first. */
    public List<JsonLike> events() {
        return call("events").asList();
    }

    /** A PNG of the page. */
    public void screenshot(Path file) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "screenshot");
        request.put("page", name);
        request.put("path", file.toAbsolutePath().toString());
        request.put("timeoutMs", Browser.DEFAULT_CALL_TIMEOUT.toMillis());
        browser.request(name, request, Browser.DEFAULT_CALL_TIMEOUT);
    }

    /** The page's recent console lines (JsSIP's when registered with {@code debug: true}). */
    public List<String> recentConsole() {
        return browser.consoleOf(name);
    }

    /** Closes the page's browser context, as a user closing the tab (the WebSocket goes away unannounced). */
    public void close() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "closePage");
        request.put("page", name);
        browser.request(name, request, Duration.ofSeconds(10));
        browser.forget(name);
    }

    @Override
    public String toString() {
        return "Page[" + name + "]";
    }
}

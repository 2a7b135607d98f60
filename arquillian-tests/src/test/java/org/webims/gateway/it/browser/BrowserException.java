package org.webims.gateway.it.browser;

import java.util.List;

/**
 * A browser step that failed or gave no answer in time. {@link #data()} holds what the harness said about it
 * (e.g. {@code {"status":403,"cause":"Rejected"}} for a failed registration), {@link #console()} the page's recent
 * console lines, which the message repeats.
 */
public final class BrowserException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient JsonLike data;
    private final List<String> console;

    BrowserException(String message, JsonLike data, List<String> console) {
        super(withConsole(message, data, console));
        this.data = data == null ? JsonLike.of(null) : data;
        this.console = console == null ? List.of() : List.copyOf(console);
    }

    BrowserException(String message, Throwable cause) {
        super(message, cause);
        this.data = JsonLike.of(null);
        this.console = List.of();
    }

    /** Structured detail from the harness (status, cause, ...); a null value when there is none. */
    public JsonLike data() {
        return data;
    }

    /** The SIP status code the harness reported, or -1. */
    public int status() {
        JsonLike status = data.get("status");
        return status.isNull() ? -1 : status.asInt();
    }

    /** The JsSIP cause the harness reported (e.g. "Rejected", "Connection Error"), or null. */
    public String cause() {
        JsonLike cause = data.get("cause");
        return cause.isNull() ? null : cause.asString();
    }

    public List<String> console() {
        return console;
    }

    private static String withConsole(String message, JsonLike data, List<String> console) {
        StringBuilder text = new StringBuilder(message);
        if (data != null && !data.isNull()) {
            text.append(" [").append(data).append(']');
        }
        if (console != null && !console.isEmpty()) {
            text.append("\n  recent page console:");
            console.forEach(line -> text.append("\n    ").append(line));
        }
        return text.toString();
    }
}

package org.webims.gateway.bench.load;

/**
 * Why one operation failed, as a short reason that counts group by ("timeout", "status 503", "connection
 * closed"). Expected under overload, so it carries no stack trace.
 */
public final class SipFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /**
     * Appended to the reason of a 503 that carried Retry-After (RFC 3261 §21.5.4: the overloaded server says when to
     * come back), so the report can tell a refusal that paces its clients from a bare one.
     */
    public static final String WITH_RETRY_AFTER = " with Retry-After";

    public SipFailure(String reason) {
        super(reason, null, false, false);
    }

    /**
     * A final response that failed an operation: "status 503", with the text of its Warning header if it has one
     * (RFC 3261 §20.43), e.g. {@code status 503 "media gateway unavailable"}, and {@link #WITH_RETRY_AFTER} when a
     * 503 carried a Retry-After header.
     */
    public static SipFailure ofStatus(String prefix, SipMessage response) {
        String warning = response.header("Warning");
        String text = "";
        if (warning != null) {
            int open = warning.indexOf('"');
            int close = warning.lastIndexOf('"');
            text = open >= 0 && close > open ? warning.substring(open + 1, close) : warning;
            text = " \"" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "\"";
        }
        String retryAfter = response.status() == 503 && response.header("Retry-After") != null ? WITH_RETRY_AFTER
                : "";
        return new SipFailure(prefix + response.status() + text + retryAfter);
    }

    public String reason() {
        return getMessage();
    }

    /** The reason of any failure: ours, a timeout, or an unexpected exception (by class name). */
    public static String reasonOf(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof SipFailure failure) {
            return failure.reason();
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "timeout";
        }
        return cause.getClass().getSimpleName();
    }
}

package org.webims.gateway.sip.transport;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How long a header line from a client may be, checked on the raw bytes before parsing. What a client writes in
 * Via, From, To or Contact travels on toward the core and comes back in its responses: a 4,000-byte Via sent-by
 * made the core's reply unreadable and the shared TCP connection toward the core was closed for everyone.
 */
final class HeaderLimits {
    /** Any header line, folded lines joined (RFC 3261 §7.3.1). */
    static final int MAX_LINE = 1024;
    /** Credentials (digest, IMS AKA, a bearer token of the WAF) may be longer. */
    static final int MAX_CREDENTIALS_LINE = 4096;

    private HeaderLimits() {}

    /** The name of the first header line over its limit, or null. */
    static String overLimit(byte[] data) {
        int lineStart = indexOfLineEnd(data, 0) + 2; // the start line is bounded by the message size alone
        if (lineStart < 2) {
            return null;
        }
        int logicalStart = lineStart;
        int i = lineStart;
        while (i < data.length) {
            int end = indexOfLineEnd(data, i);
            if (end < 0) {
                end = data.length;
            }
            if (end == i) {
                return check(data, logicalStart, i); // the empty line ends the headers
            }
            boolean continuation = data[i] == ' ' || data[i] == '\t';
            if (!continuation && i > logicalStart) {
                String name = check(data, logicalStart, i);
                if (name != null) {
                    return name;
                }
                logicalStart = i;
            }
            i = end + 2;
        }
        return check(data, logicalStart, Math.min(i, data.length));
    }

    private static String check(byte[] data, int start, int end) {
        int length = end - start;
        if (length <= MAX_LINE) {
            return null;
        }
        int colon = start;
        while (colon < end && data[colon] != ':') {
            colon++;
        }
        String name = new String(data, start, Math.min(colon - start, 40), StandardCharsets.US_ASCII).strip();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean credentials = lower.equals("authorization") || lower.equals("proxy-authorization");
        if (credentials && length <= MAX_CREDENTIALS_LINE) {
            return null;
        }
        return name.matches("[A-Za-z0-9\\-]+") ? name : "a";
    }

    private static int indexOfLineEnd(byte[] data, int from) {
        for (int i = from; i + 1 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}

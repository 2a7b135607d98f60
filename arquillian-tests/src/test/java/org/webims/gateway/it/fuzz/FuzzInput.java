package org.webims.gateway.it.fuzz;

import java.nio.charset.StandardCharsets;

/**
 * One mutated input: the bytes of one WebSocket message, whether it goes in a binary frame, the method of the valid
 * message it came from, the mutations applied (for the report) and the Call-ID it still carries, if any (to match
 * its answer).
 *
 * @param index the input's number in the run; with the run's seed it reproduces the input
 */
public record FuzzInput(long index, byte[] bytes, boolean binary, String seedMethod, String mutations,
                        String callId) {

    /** RFC 6455 §8.1: invalid UTF-8 in a text frame, which the server answers by closing the connection (1007). */
    public boolean closesConnection() {
        return !binary && !SipMutator.isUtf8(bytes);
    }

    /** The input as text (invalid UTF-8 replaced), cut to {@code max} characters, for reports. */
    public String preview(int max) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() > max ? text.substring(0, max) + "...[" + bytes.length + " bytes]" : text;
    }
}

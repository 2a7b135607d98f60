package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which outgoing SIP messages leave as text frames and which as binary ones (RFC 7118 §5.2). */
class WebSocketFrameTextTest {
    private static final String HEAD = "MESSAGE sip:alice@example.com SIP/2.0\r\nContent-Length: ";

    /** ASCII, other UTF-8, and a body carrying the replacement character itself: all text, unchanged. */
    @ParameterizedTest
    @ValueSource(strings = {"hi", "Grüße", "\uFFFD"})
    void aUtf8MessageIsSentAsTheSameText(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String message = HEAD + bytes.length + "\r\n\r\n" + body;
        assertEquals(message, WebSocketMessageChannel.asText(message.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A lead byte without its continuation, an overlong NUL, an encoded surrogate, a code point above U+10FFFF, a
     * sequence cut off at the end, and a valid U+FFFD beside a byte that is never UTF-8: all binary.
     */
    @ParameterizedTest
    @ValueSource(strings = {"C3 28", "C0 80", "ED A0 80", "F4 90 80 80", "E2 82", "EF BF BD FF"})
    void aBodyThatIsNotUtf8GoesAsBinary(String hex) {
        String[] octets = hex.split(" ");
        byte[] head = (HEAD + octets.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] message = java.util.Arrays.copyOf(head, head.length + octets.length);
        for (int i = 0; i < octets.length; i++) {
            message[head.length + i] = (byte) Integer.parseInt(octets[i], 16);
        }
        assertNull(WebSocketMessageChannel.asText(message));
    }
}

package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
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

    @Test
    void aBodyThatIsNotUtf8GoesAsBinary() {
        byte[] head = (HEAD + "2\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] message = java.util.Arrays.copyOf(head, head.length + 2);
        message[head.length] = (byte) 0xC3; // a lead byte without its continuation
        message[head.length + 1] = (byte) 0x28;
        assertNull(WebSocketMessageChannel.asText(message));
    }
}

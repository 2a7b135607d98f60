package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which outgoing SIP messages leave as text frames and which as binary ones (RFC 7118 §5.2). */
class WebSocketFrameTextTest {
    private static final String HEAD = "MESSAGE sip:alice@example.com SIP/2.0\r\nContent-Length: ";

    @Test
    void anAsciiMessageIsSentAsTheSameText() {
        String message = HEAD + "2\r\n\r\nhi";
        assertEquals(message, WebSocketMessageChannel.asText(message.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aUtf8MessageIsSentAsText() {
        String message = HEAD + "6\r\n\r\nGrüße";
        assertEquals(message, WebSocketMessageChannel.asText(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMessageCarryingTheReplacementCharacterItselfIsStillText() {
        String message = HEAD + "3\r\n\r\n\uFFFD";
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

package org.webims.gateway.web.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

    @Test
    void aWholeTextMessageInOnePartIsReturnedAsIs() throws Exception {
        assertEquals(Optional.of("OPTIONS"), new MessageAssembler(100).text("OPTIONS", true));
    }

    @Test
    void partsAreJoinedWhenTheLastArrives() throws Exception {
        MessageAssembler assembler = new MessageAssembler(100);
        assertEquals(Optional.empty(), assembler.text("REG", false));
        assertEquals(Optional.empty(), assembler.text("IS", false));
        assertEquals(Optional.of("REGISTER"), assembler.text("TER", true));
        assertEquals(Optional.of("next"), assembler.text("next", true), "the next message starts empty");
    }

    @Test
    void aMessageExactlyAtTheCapPasses() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        assembler.text("12345", false);
        assertEquals(Optional.of("1234567890"), assembler.text("67890", true));
    }

    @Test
    void thePartCrossingTheCapThrowsAndEverythingAfterIsDiscarded() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        assembler.text("123456", false);
        MessageAssembler.MessageTooBig tooBig = assertThrows(MessageAssembler.MessageTooBig.class,
                () -> assembler.text("789012", false));
        assertEquals(12, tooBig.atLeast());
        assertEquals(Optional.empty(), assembler.text("the rest", true));
        assertEquals(Optional.empty(), assembler.text("x", true), "nothing more is delivered on this connection");
    }

    @Test
    void textIsCountedInUtf8Bytes() throws Exception {
        MessageAssembler assembler = new MessageAssembler(5);
        assertThrows(MessageAssembler.MessageTooBig.class, () -> assembler.text("ééé", true)); // 6 bytes
        assertEquals(4, MessageAssembler.utf8Length("\uD83D\uDE00"));
        assertEquals(3, MessageAssembler.utf8Length("€"));
        assertEquals(3, MessageAssembler.utf8Length("\uD83D"), "a lone surrogate");
    }

    @Test
    void aWholeMessageBeyondAThirdOfTheCapIsStillCountedExactly() throws Exception {
        // 3 chars fit at 3 bytes each under 9; 4 chars of 2 bytes (8) fit only when counted, 5 (10) do not
        assertEquals(Optional.of("€€€"), new MessageAssembler(9).text("€€€", true));
        assertThrows(MessageAssembler.MessageTooBig.class, () -> new MessageAssembler(8).text("€€€", true),
                "9 bytes: a char can take 3 bytes, so under 3 a char the shortcut would let this through");
        assertEquals(Optional.of("éééé"), new MessageAssembler(9).text("éééé", true));
        assertThrows(MessageAssembler.MessageTooBig.class, () -> new MessageAssembler(9).text("ééééé", true));
        MessageAssembler afterParts = new MessageAssembler(9);
        afterParts.text("éé", false);
        assertThrows(MessageAssembler.MessageTooBig.class, () -> afterParts.text("ééé", true), "4 + 6 bytes");
    }

    @Test
    void binaryPartsAreJoinedAndCapped() throws Exception {
        MessageAssembler assembler = new MessageAssembler(6);
        assertEquals(Optional.empty(), assembler.binary(ByteBuffer.wrap(new byte[] {1, 2, 3}), false));
        Optional<byte[]> whole = assembler.binary(ByteBuffer.wrap(new byte[] {4, 5}), true);
        assertTrue(whole.isPresent());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, whole.get());
        assertThrows(MessageAssembler.MessageTooBig.class,
                () -> assembler.binary(ByteBuffer.wrap(new byte[7]), false));
    }
}

package org.webims.gateway.it.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipRequestFactory;

class SipMutatorTest {
    private final SeedMessages seeds = new SeedMessages(new SipRequestFactory(SipClientIdentity.alice()));

    @Test
    void everySeedIsAValidRequestOfItsMethod() {
        for (String method : SeedMessages.METHODS) {
            SipMessage m = SipMessage.parse(seeds.request(method, "sip:bob@ims.example.test", "cid-" + method, 7,
                    null));
            assertEquals(method, m.method());
            assertEquals(method, m.cseqMethod());
            assertEquals("cid-" + method, m.callId());
        }
    }

    @Test
    void theSameSeedGivesTheSameInputs() {
        SipMutator mutator = new SipMutator(65_535);
        String invite = seeds.request("INVITE", "sip:bob@ims.example.test", "cid", 1, null);
        for (long i = 0; i < 500; i++) {
            FuzzInput a = mutator.mutate(i, "INVITE", invite, new Random(i));
            FuzzInput b = mutator.mutate(i, "INVITE", invite, new Random(i));
            assertArrayEquals(a.bytes(), b.bytes());
            assertEquals(a.mutations(), b.mutations());
            assertEquals(a.binary(), b.binary());
        }
    }

    @Test
    void inputsStayUnderTheMessageLimitAndMostKeepACallId() {
        SipMutator mutator = new SipMutator(65_535);
        String message = seeds.request("MESSAGE", "sip:bob@ims.example.test", "cid", 1, null);
        int withCallId = 0;
        for (long i = 0; i < 2_000; i++) {
            FuzzInput input = mutator.mutate(i, "MESSAGE", message, new Random(i));
            assertTrue(input.bytes().length <= 65_535, input.mutations());
            if (input.callId() != null) {
                withCallId++;
            }
        }
        assertTrue(withCallId > 1_000, "most inputs can be matched to an answer: " + withCallId);
    }

    @Test
    void theCallIdIsReadInFullAndCompactForm() {
        assertEquals("abc", SipMutator.callIdOf("X\r\ni: abc\r\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a b", SipMutator.callIdOf("X\r\nCall-ID:  a b \r\n".getBytes(StandardCharsets.UTF_8)));
        assertNull(SipMutator.callIdOf("garbage".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCrashIsAnOomOrAnErrorThroughOurCodeAndOtherErrorsAreOnlyCounted() {
        String log = String.join("\n",
                "2026-01-01 10:00:00,000 ERROR [gov.nist] (t) failed",
                "java.lang.NullPointerException",
                "\tat gov.nist.javax.sip.stack.TCPMessageChannel.x(TCPMessageChannel.java:1)",
                "2026-01-01 10:00:01,000 ERROR [org.webims.gateway.sip] (t) boom",
                "java.lang.IllegalStateException: x",
                "\tat deployment.webrtc-ims-gateway.ear//org.webims.gateway.sip.Foo.bar(Foo.java:12)",
                "2026-01-01 10:00:01,500 SEVERE [org.webims.gateway.sip.b2bua.B2bua] (t) Failed: javax.sip.SipException: closed",
                "\tat deployment.webrtc-ims-gateway.ear//org.webims.gateway.sip.b2bua.B2bua.x(B2bua.java:1)",
                "2026-01-01 10:00:02,000 WARN  [org.webims] (t) bad input",
                "java.lang.OutOfMemoryError: Java heap space");
        ServerLog.Findings findings = ServerLog.analyse(log);
        assertEquals(2, findings.crashCount(), findings.lines().toString());
        assertEquals(2, findings.errorCount());
        assertEquals(1, findings.warnings());
    }
}

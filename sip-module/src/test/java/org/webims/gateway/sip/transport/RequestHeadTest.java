package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
    private static final String BAD_CSEQ = "OPTIONS sip:bob@ims.example.test SIP/2.0\r\n"
            + "Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK1\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:bob@ims.example.test>\r\n"
            + "f: <sip:alice@ims.example.test>;tag=1\r\n"
            + "Call-ID: c1\r\n"
            + "CSeq: one OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n";

    private static final String REGISTER = "REGISTER sip:ims.test SIP/2.0\r\n"
            + "Via: SIP/2.0/WSS a.invalid;branch=z9hG4bK2\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: \"Alice\" <sip:alice@ims.test>\r\n"
            + "From: <sip:alice@ims.test>;tag=a1\r\n"
            + "Call-ID: r1\r\n"
            + "CSeq: 7 REGISTER\r\n"
            + "Contact: <sip:x@a.invalid;transport=ws>;+sip.instance=\"<urn:uuid:1>\";reg-id=1;expires=600\r\n"
            + "Expires: 600\r\n"
            + "Content-Length: 0\r\n\r\n";

    private static Optional<RequestHead> head(String text) {
        return RequestHead.read(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String badRequest(String text) {
        return head(text).orElseThrow().response(400, "Bad Request (missing or malformed CSeq header)", null,
                List.of());
    }

    @Test
    void aRequestWithAnUnparseableCseqIsAnsweredWithItsOwnHeaderLines() {
        String response = badRequest(BAD_CSEQ);
        assertTrue(response.startsWith("SIP/2.0 400 Bad Request (missing or malformed CSeq header)\r\n"), response);
        assertTrue(response.contains("\r\nVia: SIP/2.0/WSS abc.invalid;branch=z9hG4bK1\r\n"));
        assertTrue(response.contains("\r\nf: <sip:alice@ims.example.test>;tag=1\r\n"), "compact forms count");
        assertTrue(response.contains("\r\nCSeq: one OPTIONS\r\n"));
        assertFalse(response.contains("Max-Forwards"));
        assertTrue(response.endsWith("Content-Length: 0\r\n\r\n"));
    }

    @Test
    void withoutEveryAddressingHeaderThereIsNoHead() {
        assertEquals(Optional.empty(), head(BAD_CSEQ.replace("Call-ID: c1\r\n", "")));
    }

    @Test
    void aResponseOrGarbageHasNoHead() {
        assertEquals(Optional.empty(), head(BAD_CSEQ.replace("OPTIONS sip:bob@ims.example.test SIP/2.0",
                "SIP/2.0 200 OK")));
        assertEquals(Optional.empty(), head("\u0001\u0002 not SIP"));
        assertEquals(Optional.empty(), head(""));
    }

    @Test
    void aCopiedLineWithControlCharactersIsNotEchoed() {
        assertEquals(Optional.empty(), head(BAD_CSEQ.replace("tag=1", "tag=1\u0000x")));
    }

    @Test
    void aRefusalBuiltFromTheHeadIsAResponseTheParserTakesWithOurToTag() throws Exception {
        String text = head(REGISTER.replace("Via: SIP/2.0/WSS a.invalid", "Via: SIP/2.0/WSS\r\n a.invalid"))
                .orElseThrow().response(503, "Service Unavailable (gateway overloaded)", "overload-1f",
                        List.of("Warning: 399 gw.test \"try later\"", "Retry-After: 30"));
        SIPResponse response = (SIPResponse) new StringMsgParser().parseSIPMessage(
                text.getBytes(StandardCharsets.UTF_8), true, false, null);
        assertEquals(503, response.getStatusCode());
        assertEquals("overload-1f", response.getToTag(), text);
        assertEquals("Alice", response.getTo().getAddress().getDisplayName());
        assertEquals("z9hG4bK2", response.getTopmostVia().getBranch(), "RFC 3261 §17.1.3: the client's match");
        assertEquals(1, response.getViaHeaders().size(), "a folded line is one header: " + text);
        assertEquals("r1", response.getCallId().getCallId());
        assertEquals(7, response.getCSeq().getSeqNumber());
        assertEquals(30, ((javax.sip.header.RetryAfterHeader) response.getHeader("Retry-After")).getRetryAfter());
    }

    @Test
    void aToTagIsSeenAfterTheNameAddrOrInABareUrisParameters() {
        assertFalse(head(REGISTER).orElseThrow().mayBeInDialog());
        assertTrue(head(REGISTER.replace("To: \"Alice\" <sip:alice@ims.test>", "To: <sip:alice@ims.test>;tag=9"))
                .orElseThrow().mayBeInDialog());
        assertTrue(head(REGISTER.replace("To: \"Alice\" <sip:alice@ims.test>", "t: sip:alice@ims.test ; TAG = 9"))
                .orElseThrow().mayBeInDialog(), "compact form, spaces, any case");
        assertTrue(head(REGISTER.replace("To: \"Alice\" <sip:alice@ims.test>", "To: <sip:b@x>;tag=9;q=\">\""))
                .orElseThrow().mayBeInDialog(), "a quoted '>' after the tag");
        assertTrue(head(REGISTER.replace("To: \"Alice\" <sip:alice@ims.test>", "To: \"tag\" <sip:a@b>"))
                .orElseThrow().mayBeInDialog(), "a display name's tag is in doubt: the parse decides");
    }

    /** Where JAIN-SIP's parser could read the lines otherwise, every fact errs toward work under way. */
    @Test
    void linesTheParserCouldReadOtherwiseLeaveEveryFactInDoubt() {
        for (String doubtful : List.of(
                REGISTER.replace("Expires: 600", "User-Agent: x\nAuthorization: Digest "
                        + "response=\"0a\""), // the parser ends a line at a lone LF
                REGISTER.replace("Expires: 600", "Expires: 600\rExpires: 0"),
                REGISTER.replace("expires=600", "exp\r\n ires=0"), // it joins a folded line without the space
                REGISTER.replace("Call-ID: r1", "Call-ID: r1\r\nt: <sip:alice@ims.test>;tag=2"))) {
            RequestHead head = head(doubtful).orElseThrow();
            assertTrue(head.mayBeInDialog(), doubtful);
            assertTrue(head.mayAnswerChallenge(), doubtful);
            assertFalse(head.surelyNotDeregistration(), doubtful);
        }
    }

    @Test
    void digestCredentialsWithAResponseMayAnswerAChallenge() {
        assertFalse(head(REGISTER).orElseThrow().mayAnswerChallenge());
        assertTrue(head(REGISTER.replace("Expires: 600", "Expires: 600\r\nAuthorization: Digest username=\"a\","
                + " response=\"0a\"")).orElseThrow().mayAnswerChallenge());
        assertTrue(head(REGISTER.replace("Expires: 600", "Expires: 600\r\nProxy-Authorization: digest\r\n"
                + " username=\"a\",\r\n response=\"0a\"")).orElseThrow().mayAnswerChallenge(), "folded");
        assertFalse(head(REGISTER.replace("Expires: 600", "Expires: 600\r\nAuthorization: Bearer eyJ"))
                .orElseThrow().mayAnswerChallenge(), "a bearer token answers no challenge");
    }

    @Test
    void onlyLinesThatRuleItOutMakeARegisterSurelyNoDeregistration() {
        assertTrue(head(REGISTER).orElseThrow().surelyNotDeregistration());
        assertTrue(head(REGISTER.replace("Expires: 600\r\n", "")).orElseThrow().surelyNotDeregistration());
        assertTrue(head(REGISTER.replace("expires=600", "x=1")).orElseThrow().surelyNotDeregistration());
        for (String maybe : List.of(REGISTER.replace("Expires: 600", "Expires: 0"),
                REGISTER.replace("expires=600", "expires=0"), REGISTER.replace("expires=600", "EXPIRES = \"00\""),
                REGISTER.replace("expires=600", "expires=soon"), REGISTER.replace("Expires: 600", "Expires: 6x"),
                REGISTER.replace("Contact: <sip:x@a.invalid;transport=ws>;+sip.instance=\"<urn:uuid:1>\";reg-id=1;"
                        + "expires=600", "m: *"),
                REGISTER.replace("Contact:", "X-Not-Contact:"),
                REGISTER.replace("Contact: <sip:x@a.invalid;transport=ws>", "Contact: * , <sip:x@a.invalid>"),
                REGISTER.replace("Expires: 600", "Expires: 600\r\nContact: <sip:y@a.invalid>;expires=0"))) {
            assertFalse(head(maybe).orElseThrow().surelyNotDeregistration(), maybe);
        }
    }
}

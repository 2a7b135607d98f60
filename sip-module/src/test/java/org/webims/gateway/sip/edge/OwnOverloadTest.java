package org.webims.gateway.sip.edge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.flow.FlowId;
import org.webims.gateway.sip.registration.Binding;

class OwnOverloadTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private static Request request(String method, String toTag, String... extra) throws Exception {
        String text = String.join("\r\n", method + " sip:bob@ims.test SIP/2.0",
                "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1", "Max-Forwards: 70", "From: <sip:alice@ims.test>;tag=a",
                "To: <sip:bob@ims.test>" + (toTag == null ? "" : ";tag=" + toTag), "Call-ID: c1",
                "CSeq: 1 " + method, "Contact: <sip:alice@a.invalid;transport=ws>", String.join("\r\n", extra),
                "Content-Length: 0", "", "");
        return (Request) new StringMsgParser().parseSIPMessage(text.replace("\r\n\r\nContent", "\r\nContent")
                .getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    private static Optional<Binding> bindingLeft(long seconds) {
        return Optional.of(new Binding("sip:alice@ims.test", "sip:alice@a.invalid", null, null, new FlowId(1),
                List.of(), List.of(), NOW.minusSeconds(10), NOW.plusSeconds(seconds)));
    }

    private static boolean isNew(Request request, Optional<Binding> binding) {
        return OwnOverload.startsSomethingNew(request, () -> binding, NOW);
    }

    @Test
    void newSessionsAndOutOfDialogRequestsAreNewWork() throws Exception {
        for (String method : List.of("INVITE", "MESSAGE", "SUBSCRIBE", "OPTIONS", "PUBLISH", "REFER")) {
            assertTrue(isNew(request(method, null), Optional.empty()), method);
        }
    }

    @Test
    void requestsWithinDialogsGoOn() throws Exception {
        for (String method : List.of("INVITE", "BYE", "UPDATE", "PRACK", "INFO", "MESSAGE", "REFER", "NOTIFY")) {
            assertFalse(isNew(request(method, "b"), Optional.empty()), method);
        }
        assertFalse(isNew(request("CANCEL", null), Optional.empty()), "a CANCEL ends work");
        assertFalse(isNew(request("ACK", null), Optional.empty()));
    }

    @Test
    void theFirstRegisterOfAnUnregisteredFlowIsNewWork() throws Exception {
        assertTrue(isNew(request("REGISTER", null, "Expires: 600"), Optional.empty()));
        assertTrue(isNew(request("REGISTER", null, "Expires: 600", "Authorization: Bearer eyJhbGciOi"),
                Optional.empty()), "a bearer REGISTER is a whole new exchange");
    }

    @Test
    void anAnswerToTheCoresChallengeGoesOn() throws Exception {
        assertFalse(isNew(request("REGISTER", null, "Expires: 600", "Authorization: Digest username=\"alice\", "
                + "realm=\"ims.test\", nonce=\"n\", uri=\"sip:ims.test\", response=\"0123456789abcdef\""),
                Optional.empty()));
    }

    @Test
    void anEmptyDigestResponseIsTheFirstRegisterOfAnImsExchange() throws Exception {
        assertTrue(isNew(request("REGISTER", null, "Expires: 600", "Authorization: Digest username=\"alice\", "
                + "realm=\"ims.test\", nonce=\"\", uri=\"sip:ims.test\", response=\"\""), Optional.empty()));
    }

    @Test
    void aDeregistrationGoesOn() throws Exception {
        assertFalse(isNew(request("REGISTER", null, "Expires: 0"), bindingLeft(500)));
    }

    @Test
    void aRefreshIsRefusedOnlyWhenTheBindingOutlivesTheWait() throws Exception {
        assertTrue(isNew(request("REGISTER", null, "Expires: 600"), bindingLeft(300)),
                "five minutes left: the client may try again after Retry-After");
        assertFalse(isNew(request("REGISTER", null, "Expires: 600"), bindingLeft(20)),
                "it could lapse while the client waits");
    }
}

package org.webims.gateway.sip.edge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.flow.FlowId;
import org.webims.gateway.sip.registration.Binding;

class OwnOverloadTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final String DIGEST_ANSWER = "Digest username=\"alice\", realm=\"ims.test\", nonce=\"n\", "
            + "uri=\"sip:ims.test\", response=\"0123456789abcdef\"";

    private static Request requestTo(String to, String method, String toTag, String... extra) throws Exception {
        String text = String.join("\r\n", method + " sip:" + to + "@ims.test SIP/2.0",
                "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1", "Max-Forwards: 70", "From: <sip:alice@ims.test>;tag=a",
                "To: <sip:" + to + "@ims.test>" + (toTag == null ? "" : ";tag=" + toTag), "Call-ID: c1",
                "CSeq: 1 " + method, "Contact: <sip:alice@a.invalid;transport=ws>")
                + (extra.length == 0 ? "" : "\r\n" + String.join("\r\n", extra)) + "\r\nContent-Length: 0\r\n\r\n";
        return (Request) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }

    private static Request request(String method, String toTag, String... extra) throws Exception {
        return requestTo("bob", method, toTag, extra);
    }

    private static Binding binding(String user, long secondsLeft) {
        return new Binding("sip:" + user + "@ims.test", "sip:" + user + "@a.invalid", null, null, new FlowId(1),
                List.of(), List.of(), NOW.minusSeconds(10), NOW.plusSeconds(secondsLeft));
    }

    private static boolean isNew(Request request, List<Binding> bindings) {
        return OwnOverload.startsSomethingNew(request, () -> bindings, NOW);
    }

    @Test
    void newSessionsAndOutOfDialogRequestsAreNewWork() throws Exception {
        for (String method : List.of("INVITE", "MESSAGE", "SUBSCRIBE", "OPTIONS", "PUBLISH", "REFER")) {
            assertTrue(isNew(request(method, null), List.of()), method);
        }
    }

    @Test
    void requestsWithinDialogsGoOn() throws Exception {
        for (String method : List.of("INVITE", "BYE", "UPDATE", "PRACK", "INFO", "MESSAGE", "REFER", "NOTIFY")) {
            assertFalse(isNew(request(method, "b"), List.of()), method);
        }
        assertFalse(isNew(request("CANCEL", null), List.of()), "a CANCEL ends work");
        assertFalse(isNew(request("ACK", null), List.of()));
    }

    @Test
    void theFirstRegisterOfAnUnregisteredConnectionIsNewWork() throws Exception {
        assertTrue(isNew(request("REGISTER", null, "Expires: 600"), List.of()));
        assertTrue(isNew(request("REGISTER", null, "Expires: 600", "Authorization: Bearer eyJhbGciOi"), List.of()),
                "a bearer REGISTER is a whole new exchange");
    }

    @Test
    void anAnswerToTheCoresChallengeGoesOn() throws Exception {
        assertFalse(isNew(request("REGISTER", null, "Expires: 600", "Authorization: " + DIGEST_ANSWER), List.of()));
        assertFalse(isNew(request("INVITE", null, "Proxy-Authorization: " + DIGEST_ANSWER), List.of()),
                "RFC 3261 §22.3: the INVITE again, with credentials, after a 407");
    }

    @Test
    void anEmptyDigestResponseIsTheFirstRegisterOfAnImsExchange() throws Exception {
        assertTrue(isNew(request("REGISTER", null, "Expires: 600", "Authorization: Digest username=\"alice\", "
                + "realm=\"ims.test\", nonce=\"\", uri=\"sip:ims.test\", response=\"\""), List.of()));
    }

    @Test
    void aDeregistrationGoesOn() throws Exception {
        assertFalse(isNew(request("REGISTER", null, "Expires: 0"), List.of(binding("bob", 500))));
    }

    @Test
    void aRefreshIsRefusedOnlyWhenTheBindingOutlivesTheWait() throws Exception {
        assertTrue(isNew(request("REGISTER", null, "Expires: 600"), List.of(binding("bob", 300))),
                "five minutes left: the client may try again after Retry-After");
        assertFalse(isNew(request("REGISTER", null, "Expires: 600"), List.of(binding("bob", 20))),
                "it could lapse while the client waits");
    }

    @Test
    void theRefreshedIdentitysOwnBindingDecidesOnAConnectionWithSeveral() throws Exception {
        List<Binding> two = List.of(binding("bob", 300), binding("bob2", 20));
        assertFalse(isNew(requestTo("bob2", "REGISTER", null, "Expires: 600"), two), "bob2's is about to expire");
        assertTrue(isNew(requestTo("bob", "REGISTER", null, "Expires: 600"), two), "bob's has five minutes left");
        assertTrue(isNew(requestTo("carol", "REGISTER", null, "Expires: 600"), two), "carol has none here");
    }

    @Test
    void theAckOfARefusalAtTheDoorEndsAtTheDoorAndNothingElseDoes() throws Exception {
        OwnOverload door = new OwnOverload(org.webims.gateway.sip.runtime.WorkQueueDelay.off(), null,
                flow -> List.of(), request -> false, java.time.Clock.systemUTC());
        var answered = new java.util.ArrayList<Object>();
        assertTrue(door.dealtWith((gov.nist.javax.sip.message.SIPRequest) request("ACK",
                OwnOverload.TAG_PREFIX + "1f"), null, answered::add), "RFC 3261 §17.1.1.3: the ACK of our 503");
        assertFalse(door.dealtWith((gov.nist.javax.sip.message.SIPRequest) request("ACK", "b2bua-tag"), null,
                answered::add), "the ACK of a call's 2xx goes on to the B2BUA");
        assertFalse(door.dealtWith((gov.nist.javax.sip.message.SIPRequest) request("INVITE", null), null,
                answered::add), "not behind: everything goes on");
        assertTrue(answered.isEmpty(), "nothing answered: " + answered);
    }
}

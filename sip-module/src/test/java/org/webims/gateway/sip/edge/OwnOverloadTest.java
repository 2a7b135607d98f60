package org.webims.gateway.sip.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        return parsed(text(to, method, toTag, extra));
    }

    private static String text(String to, String method, String toTag, String... extra) {
        return String.join("\r\n", method + " sip:" + to + "@ims.test SIP/2.0",
                "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1", "Max-Forwards: 70", "From: <sip:alice@ims.test>;tag=a",
                "To: <sip:" + to + "@ims.test>" + (toTag == null ? "" : ";tag=" + toTag), "Call-ID: c1",
                "CSeq: 1 " + method, "Contact: <sip:alice@a.invalid;transport=ws>")
                + (extra.length == 0 ? "" : "\r\n" + String.join("\r\n", extra)) + "\r\nContent-Length: 0\r\n\r\n";
    }

    private static Request parsed(String text) throws Exception {
        return (Request) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }

    /** An out-of-dialog request to {@code requestUri} whose To names {@code toUser}. */
    private static Request requestUri(String requestUri, String toUser, String method) throws Exception {
        String text = String.join("\r\n", method + " " + requestUri + " SIP/2.0",
                "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1", "Max-Forwards: 70", "From: <sip:alice@ims.test>;tag=a",
                "To: <sip:" + toUser + "@ims.test>", "Call-ID: c1", "CSeq: 1 " + method,
                "Contact: <sip:alice@a.invalid;transport=ws>") + "\r\nContent-Length: 0\r\n\r\n";
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
        OwnOverload door = doorWith(false);
        var answered = new java.util.ArrayList<Object>();
        assertTrue(door.dealtWith((gov.nist.javax.sip.message.SIPRequest) request("ACK",
                OwnOverload.TAG_PREFIX + "1f"), null, answered::add), "RFC 3261 §17.1.1.3: the ACK of our 503");
        assertFalse(door.dealtWith((gov.nist.javax.sip.message.SIPRequest) request("ACK", "b2bua-tag"), null,
                answered::add), "the ACK of a call's 2xx goes on to the B2BUA");
        assertFalse(door.dealtWith((gov.nist.javax.sip.message.SIPRequest) request("INVITE", null), null,
                answered::add), "not behind: everything goes on");
        assertTrue(answered.isEmpty(), "nothing answered: " + answered);
    }

    private static OwnOverload doorWith(boolean mediaSaturated) throws Exception {
        return doorWith(mediaSaturated, org.webims.gateway.sip.runtime.WorkQueueDelay.off());
    }

    private static OwnOverload doorWith(boolean mediaSaturated,
            org.webims.gateway.sip.runtime.WorkQueueDelay received) throws Exception {
        return doorWith(mediaSaturated, received, List.of());
    }

    private static OwnOverload doorWith(boolean mediaSaturated, org.webims.gateway.sip.runtime.WorkQueueDelay received,
            List<Binding> bindings) throws Exception {
        var sip = new org.webims.gateway.sip.signalling.SipContext(null, new gov.nist.javax.sip.message.MessageFactoryImpl(),
                new gov.nist.javax.sip.header.HeaderFactoryImpl(), new gov.nist.javax.sip.address.AddressFactoryImpl(),
                org.webims.gateway.sip.harness.TestSipSettings.of("ims.test", "sip:127.0.0.1:5070", 5060),
                org.webims.gateway.sip.flow.FlowTokens.withRandomKey());
        return new OwnOverload(org.webims.gateway.sip.runtime.WorkQueueDelay.off(), received, sip, flow -> bindings,
                org.webims.gateway.sip.b2bua.B2bua.emergencyInvites(
                        org.webims.gateway.sip.call.EmergencyPolicy.ofList("112,911")), () -> mediaSaturated,
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
    }

    private static java.util.List<gov.nist.javax.sip.message.SIPResponse> answers(OwnOverload door, Request request) {
        var answered = new java.util.ArrayList<gov.nist.javax.sip.message.SIPResponse>();
        var flow = org.webims.gateway.sip.flow.TestFlows.idle(1);
        door.dealtWith((gov.nist.javax.sip.message.SIPRequest) request, flow, answered::add);
        return answered;
    }

    @Test
    void aNewCallIsRefusedAtTheDoorWhileTheMediaGatewayIsSaturated() throws Exception {
        var refusals = answers(doorWith(true), request("INVITE", null));
        assertEquals(1, refusals.size(), "answered statelessly at the door");
        var refusal = refusals.get(0);
        assertEquals(503, refusal.getStatusCode());
        assertTrue(refusal.getHeader("Retry-After") != null, "RFC 3261 §21.5.4: " + refusal);
        assertTrue(refusal.getHeader("Warning").toString().contains("media gateway saturated"), refusal.toString());
        assertTrue(refusal.getToTag().startsWith(OwnOverload.TAG_PREFIX), "its ACK ends at the door too");
    }

    @Test
    void whileTheMediaGatewayIsSaturatedOnlyNewCallsAreRefused() throws Exception {
        OwnOverload saturated = doorWith(true);
        assertTrue(answers(saturated, request("INVITE", "b")).isEmpty(), "a re-INVITE of a call up goes on");
        assertTrue(answers(saturated, request("MESSAGE", null)).isEmpty(), "no media: not refused for media");
        assertTrue(answers(saturated, request("REGISTER", null, "Expires: 600")).isEmpty());
        assertTrue(answers(saturated, requestTo("112", "INVITE", null)).isEmpty(),
                "an emergency call is the B2BUA's (380), never a 503");
        assertTrue(answers(saturated, requestUri("tel:911", "bob", "INVITE")).isEmpty(), "a tel URI of an emergency number");
        assertTrue(answers(saturated, requestUri("urn:service:sos.police", "bob", "INVITE")).isEmpty(),
                "RFC 5031 §4.2: an emergency service URN");
        assertTrue(answers(saturated, requestUri("sip:bob@ims.test", "112", "INVITE")).isEmpty(),
                "an emergency number in To only");
        assertTrue(answers(doorWith(false), request("INVITE", null)).isEmpty(), "not saturated: the call goes on");
    }

    /** A delay found behind: every start for longer than its interval waited longer than its target. */
    private static org.webims.gateway.sip.runtime.WorkQueueDelay behind() {
        long[] now = {0};
        var delay = new org.webims.gateway.sip.runtime.WorkQueueDelay(java.time.Duration.ofMillis(10),
                java.time.Duration.ofMillis(50), () -> now[0]);
        long submitted = delay.submitted();
        for (int i = 0; i < 20; i++) {
            now[0] = java.time.Duration.ofMillis(100 + 10L * i).toNanos();
            delay.started(submitted);
            submitted = delay.submitted();
        }
        assertTrue(delay.behind(), "the test's premise");
        return delay;
    }

    @Test
    void whileTheCoresAnswersWaitForTheStacksThreadsNewWorkIsRefusedAndAcceptedWorkGoesOn() throws Exception {
        OwnOverload door = doorWith(false, behind());
        var refusals = answers(door, request("INVITE", null));
        assertEquals(1, refusals.size(), "a new call refused at the door");
        assertEquals(503, refusals.get(0).getStatusCode());
        assertTrue(refusals.get(0).getHeader("Retry-After") != null, refusals.get(0).toString());
        assertTrue(answers(door, request("BYE", "b")).isEmpty(), "a request within a call goes on");
        assertTrue(answers(doorWith(false), request("INVITE", null)).isEmpty(), "nothing waits: the call goes on");
    }

    /** What the door answers from the request's raw head alone, before any parse. */
    private static List<String> rawAnswers(OwnOverload door, String text) {
        var answered = new java.util.ArrayList<String>();
        var head = org.webims.gateway.sip.transport.RequestHead.read(text.getBytes(StandardCharsets.UTF_8))
                .orElseThrow();
        boolean dealt = door.dealtWith(head, org.webims.gateway.sip.flow.TestFlows.idle(1), answered::add);
        assertEquals(dealt, !answered.isEmpty(), "dealt with means answered: " + answered);
        return answered;
    }

    @Test
    void whileBehindANewRegisterIsRefusedFromItsRawHeadWithTheSameRefusal() throws Exception {
        OwnOverload door = doorWith(false, behind());
        assertTrue(door.refusing());
        List<String> answered = rawAnswers(door, text("bob", "REGISTER", null, "Expires: 600"));
        assertEquals(1, answered.size());
        var refusal = (gov.nist.javax.sip.message.SIPResponse) new StringMsgParser().parseSIPMessage(
                answered.get(0).getBytes(StandardCharsets.UTF_8), true, false, null);
        var parsedRefusal = answers(door, request("REGISTER", null, "Expires: 600")).get(0);
        assertEquals(parsedRefusal.getFirstLine(), refusal.getFirstLine());
        assertEquals(parsedRefusal.getHeader("Warning").toString(), refusal.getHeader("Warning").toString());
        assertEquals(parsedRefusal.getHeader("Retry-After").toString(), refusal.getHeader("Retry-After").toString());
        assertTrue(refusal.getToTag().startsWith(OwnOverload.TAG_PREFIX), answered.get(0));
        assertEquals("z9hG4bK1", refusal.getTopmostVia().getBranch());
    }

    @Test
    void whileBehindEveryNewOutOfDialogRequestButAnInviteIsRefusedFromItsRawHead() throws Exception {
        OwnOverload door = doorWith(false, behind());
        for (String method : List.of("MESSAGE", "SUBSCRIBE", "OPTIONS", "PUBLISH", "REFER")) {
            assertEquals(1, rawAnswers(door, text("bob", method, null)).size(), method);
        }
        assertTrue(rawAnswers(door, text("bob", "INVITE", null)).isEmpty(),
                "an emergency call and the media gateway's state are the parsed door's");
        assertTrue(rawAnswers(door, text("112", "INVITE", null)).isEmpty());
    }

    @Test
    void fromTheRawHeadWorkUnderWayAndEverythingInDoubtGoesOnToTheParse() throws Exception {
        OwnOverload door = doorWith(false, behind());
        for (String method : List.of("BYE", "MESSAGE", "REFER", "NOTIFY", "INFO", "UPDATE", "PRACK", "ACK")) {
            assertTrue(rawAnswers(door, text("bob", method, "b")).isEmpty(), method + " within a dialog");
        }
        assertTrue(rawAnswers(door, text("bob", "CANCEL", null)).isEmpty());
        assertTrue(rawAnswers(door, text("bob", "ACK", null)).isEmpty());
        assertTrue(rawAnswers(door, text("bob", "REGISTER", null, "Expires: 600", "Authorization: " + DIGEST_ANSWER))
                .isEmpty(), "an answer to the core's challenge");
        assertTrue(rawAnswers(door, text("bob", "REGISTER", null, "Expires: 0")).isEmpty(), "a de-registration");
        assertTrue(rawAnswers(doorWith(false, behind(), List.of(binding("carol", 20))),
                text("bob", "REGISTER", null, "Expires: 600")).isEmpty(),
                "a binding of this connection about to lapse: the parse compares identities");
        assertEquals(1, rawAnswers(doorWith(false, behind(), List.of(binding("bob", 300))),
                text("bob", "REGISTER", null, "Expires: 600")).size(), "five minutes left: refused");
        OwnOverload keepingUp = doorWith(false);
        assertFalse(keepingUp.refusing());
        assertTrue(rawAnswers(keepingUp, text("bob", "REGISTER", null, "Expires: 600")).isEmpty(),
                "nothing waits: everything goes on");
    }

    /**
     * RequestHead's facts err toward work under way: whatever the raw door refuses, the parsed door refuses too, over
     * ordinary and odd forms of the headers the decision rests on (compact forms, folding, lone line ends, quoting).
     */
    @Test
    void theRawDoorRefusesNothingTheParsedDoorWouldLetThrough() throws Exception {
        List<String> toLines = List.of("To: <sip:bob@ims.test>", "t: <sip:bob@ims.test>;tag=b",
                "To: <sip:bob@ims.test>;TAG = b", "To: sip:bob@ims.test;tag=b", "To: <sip:bob@ims.test>;t\r\n ag=b",
                "To: <sip:bob@ims.test>;tag=b;x=\">\"", "To: <sip:bob@ims.test>\r\nTo: <sip:bob@ims.test>;tag=b",
                "TO: <sip:bob@ims.test>", "To : <sip:bob@ims.test>", "t : <sip:bob@ims.test>");
        List<String> contactLines = List.of("Contact: <sip:alice@a.invalid;transport=ws>", "m: *",
                "Contact: * , <sip:a@a.invalid>", "Contact: <sip:a@a.invalid>;expires = \"0\"",
                "m: <sip:a@a.invalid>;exp\r\n ires=0",
                "Contact: <sip:a@a.invalid>;expires=3600, <sip:b@a.invalid>;expires=0",
                "Contact: <sip:a@a.invalid>;EXPIRES=0", "Contact: <sip:a@a.invalid>;EXPİRES=0",
                "Contact: <sip:a@a.invalid>;expires=0\r\nContact: <sip:b@a.invalid>;expires=0");
        List<String> extras = List.of("Expires: 600", "Expires: 0", "Expires: 10", "Expires: 600\r\nExpires: 0",
                "Authorization: " + DIGEST_ANSWER, "Proxy-Authorization: " + DIGEST_ANSWER,
                "Authorization: Digest username=\"a\", response=\"\"", "Authorization: Bearer eyJ",
                "Authorization: Digest username=\"a\",\r\n resp\r\n onse=\"0a\"",
                "User-Agent: x\nAuthorization: " + DIGEST_ANSWER, "User-Agent: x\nExpires: 0", "EXPIRES: 0",
                "Expires : 0", "AUTHORIZATION: DIGEST username=\"a\", RESPONSE=\"0a\"",
                "Authorization: Dige\u017Ft username=\"a\", response=\"0a\"",
                "Authorization: D\u0130GEST username=\"a\", response=\"0a\"");
        List<List<Binding>> bindingSets = List.of(List.of(), List.of(binding("bob", 20)), List.of(binding("bob", 300)),
                List.of(binding("carol", 20), binding("bob", 300)));
        java.util.Map<List<Binding>, OwnOverload> doors = new java.util.HashMap<>();
        for (List<Binding> bindings : bindingSets) {
            doors.put(bindings, doorWith(false, behind(), bindings));
        }
        int refusedRaw = 0;
        int compared = 0;
        for (String method : List.of("REGISTER", "INVITE", "MESSAGE", "OPTIONS", "BYE", "ACK", "CANCEL")) {
            for (String to : toLines) {
                for (String contact : contactLines) {
                    for (String extra : extras) {
                        for (List<Binding> bindings : bindingSets) {
                            OwnOverload door = doors.get(bindings);
                            String text = text("bob", method, null, extra).replace("To: <sip:bob@ims.test>", to)
                                    .replace("Contact: <sip:alice@a.invalid;transport=ws>", contact);
                            if (rawAnswers(door, text).isEmpty()) {
                                continue;
                            }
                            refusedRaw++;
                            Request request;
                            try {
                                request = parsed(text);
                            } catch (java.text.ParseException unreadable) {
                                continue; // the transport answers 400 or drops what the parse cannot read
                            }
                            compared++;
                            assertEquals(1, answers(door, request).size(), "refused raw only: " + text);
                        }
                    }
                }
            }
        }
        assertTrue(refusedRaw > 100 && compared > 100, "the premise: the raw door refuses a good part of these and"
                + " the parse reads them: " + refusedRaw + " / " + compared);
    }
}

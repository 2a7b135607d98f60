package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Requests that lack what their method needs are answerable with a reason, before the stack sees them. */
class RequestRulesTest {
    private static String request(String method, String cseqMethod, String extra) {
        return method + " sip:bob@ims.example.test SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK1\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:bob@ims.example.test>\r\n"
                + "From: <sip:alice@ims.example.test>;tag=1\r\n"
                + "Call-ID: c1\r\n"
                + "CSeq: 1 " + cseqMethod + "\r\n"
                + extra
                + "Content-Length: 0\r\n\r\n";
    }

    private static InboundMessage parse(String text) {
        return InboundMessage.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String text, String reason) {
        InboundMessage in = parse(text);
        assertFalse(in.ok(), text);
        assertTrue(in.answerable());
        assertEquals(reason, in.problem());
    }

    @Test
    void aCseqMethodOtherThanTheRequestLinesIsRefused() {
        assertRefused(request("OPTIONS", "INVITE", ""), "CSeq method INVITE differs from the request line");
    }

    @Test
    void aSubscribeOrReferOrInviteWithoutContactIsRefused() {
        assertRefused(request("SUBSCRIBE", "SUBSCRIBE", "Event: presence\r\n"), "missing Contact header");
        assertRefused(request("REFER", "REFER", "Refer-To: <sip:carol@ims.example.test>\r\n"),
                "missing Contact header");
        assertRefused(request("INVITE", "INVITE", ""), "missing Contact header");
    }

    @Test
    void aReferWithoutReferToIsRefused() {
        assertRefused(request("REFER", "REFER", "Contact: <sip:a@abc.invalid;transport=ws>\r\n"),
                "missing Refer-To header");
    }

    @Test
    void aNotifyWithoutSubscriptionStateIsRefused() {
        assertRefused(request("NOTIFY", "NOTIFY", "Event: refer\r\nContact: <sip:a@abc.invalid>\r\n"),
                "missing Subscription-State header");
    }

    @Test
    void wellFormedRequestsOfThoseMethodsPass() {
        String contact = "Contact: <sip:a@abc.invalid;transport=ws>\r\n";
        assertTrue(parse(request("SUBSCRIBE", "SUBSCRIBE", contact + "Event: presence\r\n")).ok());
        assertTrue(parse(request("REFER", "REFER", contact + "Refer-To: <sip:carol@ims.example.test>\r\n")).ok());
        assertTrue(parse(request("NOTIFY", "NOTIFY", contact + "Event: refer\r\nSubscription-State: active\r\n"))
                .ok());
        assertTrue(parse(request("MESSAGE", "MESSAGE", "")).ok(), "MESSAGE creates no dialog: no Contact needed");
    }
}

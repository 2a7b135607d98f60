package org.webims.gateway.sip.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPResponse;
import java.util.concurrent.CountDownLatch;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.call.CallEvent;

/**
 * The gateway's own overload control (RFC 7339 §1): with every thread of the application executor taken for longer
 * than {@code gateway.sip.max-queue-delay-ms} allows (here 100 ms, for 500 ms), new calls and new registrations get
 * 503 with Retry-After on the receiving thread, while a call already up is still ended and answered once the threads
 * are back, and the IMS core's requests are queued, never refused; when the threads are back, new calls are taken
 * again.
 */
class OwnOverloadHarnessTest {
    private GatewayUnderTest gateway;
    private WebRtcClient alice;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayUnderTest();
        alice = gateway.registered("alice");
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
    }

    private static void assertOverloadRefusal(SIPResponse refusal) {
        assertEquals(503, refusal.getStatusCode(), refusal.getFirstLine());
        assertTrue(refusal.getReasonPhrase().contains("gateway overloaded"), refusal.getReasonPhrase());
        assertTrue(refusal.getHeader("Retry-After") != null, "Retry-After: " + refusal);
        assertTrue(refusal.getHeader("Warning").toString().contains("overloaded"), refusal.getHeader("Warning")
                .toString());
    }

    @Test
    void newWorkIsRefusedAtTheDoorWhileAcceptedWorkWaitsItsTurn() throws Exception {
        ClientCall accepted = alice.call("bob").connected();
        gateway.awaitEvent(CallEvent.Answered.class);
        long invitesAtCore = gateway.core.count(Request.INVITE);

        CountDownLatch release = gateway.stallExecutor();
        try {
            accepted.bye(); // queued behind the stall: a call already up is never refused
            Thread.sleep(700); // the BYE has waited longer than a whole interval and nothing started

            ClientCall refused = alice.call("carol");
            assertOverloadRefusal(refused.awaitFinal());
            refused.ackRefusal(refused.awaitFinal());

            WebRtcClient dave = new WebRtcClient("dave", GatewayUnderTest.DOMAIN).connect(gateway.runtime.webSockets());
            gateway.register(dave);
            assertOverloadRefusal(dave.awaitFinal("REGISTER"));

            // refused from its raw head, before the parse: the parse answers a REGISTER without Max-Forwards 400
            WebRtcClient frank = new WebRtcClient("frank", GatewayUnderTest.DOMAIN)
                    .connect(gateway.runtime.webSockets());
            sendWithoutMaxForwards(frank, 1);
            assertOverloadRefusal(frank.awaitFinal("REGISTER"));
            assertTrue(frank.awaitFinal("REGISTER").getToTag().startsWith("overload-"), "RFC 3261 §8.2.6.2");

            // the IMS core is never told 503: it would hold back every request to this node (RFC 3261 §21.5.4)
            gateway.core.send(String.join("\r\n", "MESSAGE " + alice.aor + " SIP/2.0",
                    "Via: SIP/2.0/UDP 127.0.0.1:" + gateway.core.port + ";branch=z9hG4bKmsg" + System.nanoTime(),
                    "Route: " + gateway.core.pathOf(alice.aor), "Max-Forwards: 70",
                    "From: <sip:bob@ims.test>;tag=bob1", "To: <" + alice.aor + ">", "Call-ID: page-1", "CSeq: 1 MESSAGE",
                    "Content-Type: text/plain", "Content-Length: 2", "", "hi"));
            Thread.sleep(300);
            assertTrue(gateway.core.responses().stream().noneMatch(r -> r.getStatusCode() == 503),
                    "no 503 toward the core");

            assertTrue(alice.received().stream().noneMatch(m -> m instanceof SIPResponse r
                    && "BYE".equals(r.getCSeq().getMethod())), "the BYE waits for a thread, it is not refused");
        } finally {
            release.countDown();
        }
        alice.awaitRequest(Request.MESSAGE);
        alice.awaitResponse("BYE", 200);
        gateway.core.awaitRequest(Request.BYE);
        assertEquals(invitesAtCore, gateway.core.count(Request.INVITE), "the refused INVITE never reached the core");
        assertEquals(0, gateway.core.requests().stream().filter(r -> Request.REGISTER.equals(r.getMethod())
                && r.getHeader("From").toString().contains("dave")).count(), "nor the refused REGISTER");

        gateway.awaitNoCall();
        ClientCall later = alice.call("erin");
        assertEquals(200, later.awaitFinal().getStatusCode(), "threads back: new calls are taken again");

        WebRtcClient grace = new WebRtcClient("grace", GatewayUnderTest.DOMAIN).connect(gateway.runtime.webSockets());
        sendWithoutMaxForwards(grace, 1);
        assertEquals(400, grace.awaitFinal("REGISTER").getStatusCode(), "threads back: the parse answers it");
    }

    private static void sendWithoutMaxForwards(WebRtcClient client, int cseq) {
        client.send("REGISTER sip:" + GatewayUnderTest.DOMAIN + " SIP/2.0", client.via("nomf" + cseq),
                "From: <" + client.aor + ">;tag=nomf", "To: <" + client.aor + ">", "Call-ID: nomf-" + client.user,
                "CSeq: " + cseq + " REGISTER", client.contact(), "Expires: 600", "Content-Length: 0", "", "");
    }
}

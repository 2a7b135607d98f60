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
 * The workers' bounded queue full (every worker busy and {@code QUEUE} tasks waiting): a call already up is still
 * ended (its BYE waits beside the queue, never dropped or refused), while new work is refused at once with 503 and
 * Retry-After toward a client and 500 with Retry-After toward the core (RFC 7339 §1, RFC 3261 §21.5.4); once the
 * workers are back, everything accepted completes and new calls are taken again.
 */
class FullWorkQueueHarnessTest {
    private static final int QUEUE = 16;
    /**
     * The B2BUA takes a second look at an answered call's 2xx 300 ms after it (B2bua.STRAY_CHECK_MS): a test that
     * counts the Call-IDs waiting beside a stalled queue lets that look run first.
     */
    private static final long STRAY_CHECK_SETTLES_MS = 600;
    private GatewayUnderTest gateway;
    private WebRtcClient alice;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayUnderTest(QUEUE);
        alice = gateway.registered("alice");
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
    }

    @Test
    void acceptedWorkWaitsBesideAFullQueueAndNewWorkIsRefused() throws Exception {
        ClientCall accepted = alice.call("bob").connected();
        gateway.awaitEvent(CallEvent.Answered.class);
        long invitesAtCore = gateway.core.count(Request.INVITE);

        CountDownLatch release = gateway.stallExecutor();
        try {
            gateway.fillQueue();
            accepted.bye(); // its turn finds the queue full: kept beside it
            Thread.sleep(100);

            ClientCall refused = alice.call("carol");
            SIPResponse refusal = refused.awaitFinal();
            assertEquals(503, refusal.getStatusCode(), refusal.getFirstLine());
            assertTrue(refusal.getHeader("Retry-After") != null, "Retry-After: " + refusal);
            assertTrue(refusal.getHeader("Warning").toString().contains("overloaded"), refusal.toString());

            gateway.core.send(String.join("\r\n", "MESSAGE " + alice.aor + " SIP/2.0",
                    "Via: SIP/2.0/UDP 127.0.0.1:" + gateway.core.port + ";branch=z9hG4bKfull" + System.nanoTime(),
                    "Route: " + gateway.core.pathOf(alice.aor), "Max-Forwards: 70",
                    "From: <sip:bob@ims.test>;tag=bob1", "To: <" + alice.aor + ">", "Call-ID: page-full",
                    "CSeq: 1 MESSAGE", "Content-Type: text/plain", "Content-Length: 2", "", "hi"));
            SIPResponse toCore = (SIPResponse) Await.first("the core's MESSAGE answered", gateway.core::responses,
                    r -> "MESSAGE".equals(((javax.sip.header.CSeqHeader) r.getHeader("CSeq")).getMethod()));
            assertEquals(500, toCore.getStatusCode(), "never a 503 toward the core (RFC 3261 §21.5.4): " + toCore);
            assertTrue(toCore.getHeader("Retry-After") != null, "RFC 3261 §21.5.1: " + toCore);

            assertTrue(alice.received().stream().noneMatch(m -> m instanceof SIPResponse r
                    && "BYE".equals(r.getCSeq().getMethod())), "the BYE waits for a worker, it is not refused");
        } finally {
            release.countDown();
        }
        alice.awaitResponse("BYE", 200);
        gateway.core.awaitRequest(Request.BYE);
        gateway.awaitNoCall();
        assertEquals(invitesAtCore, gateway.core.count(Request.INVITE), "the refused INVITE never reached the core");

        ClientCall later = alice.call("erin");
        assertEquals(200, later.awaitFinal().getStatusCode(), "workers back: new calls are taken again");
    }

    /**
     * In-dialog requests of no call wait beside the full queue only up to as many Call-IDs as it holds; past that each
     * gets at once the 481 a worker would give it, while a call already up is still ended: the Call-IDs waiting beside
     * the queue stay bounded.
     */
    @Test
    void inDialogRequestsOfNoCallWaitBesideTheQueueOnlyUpToItsSize() throws Exception {
        ClientCall accepted = settledCall();
        CountDownLatch release = stallAndFill();
        try {
            for (int i = 0; i < QUEUE; i++) {
                strangerBye(i); // each waits beside the queue as a Call-ID of its own
            }
            Thread.sleep(100);
            assertTrue(alice.received().stream().noneMatch(FullWorkQueueHarnessTest::answersAStranger),
                    "up to the queue's size they wait, not answered on arrival");

            strangerBye(QUEUE);
            SIPResponse past = (SIPResponse) Await.first("the stranger past the limit answered", alice::received,
                    m -> m instanceof SIPResponse r && ("stranger-" + QUEUE).equals(r.getCallId().getCallId()));
            assertEquals(481, past.getStatusCode(), "the answer a worker would give, given at once: " + past);

            accepted.bye(); // a call of ours: it waits beside the queue however many Call-IDs already do
            Thread.sleep(100);
            assertTrue(alice.received().stream().noneMatch(m -> m instanceof SIPResponse r
                    && accepted.callId.equals(r.getCallId().getCallId()) && "BYE".equals(r.getCSeq().getMethod())),
                    "the call's BYE waits for a worker, it is not refused");
        } finally {
            release.countDown();
        }
        alice.awaitResponse("BYE", 200);
        gateway.awaitNoCall();
        for (int i = 0; i < QUEUE; i++) {
            String callId = "stranger-" + i;
            SIPResponse answer = (SIPResponse) Await.first("the waiting " + callId + " answered", alice::received,
                    m -> m instanceof SIPResponse r && callId.equals(r.getCallId().getCallId()));
            assertEquals(481, answer.getStatusCode(), "accepted, then found to match no dialog: " + answer);
        }
    }

    /**
     * While the queue is full, a flood on a call's own Call-ID waits only up to that call's share: past it, its
     * requests get 503 with Retry-After at once rather than piling up behind the call.
     */
    @Test
    void aFloodOnOneCallsCallIdWhileFullIsRefusedPastItsShare() throws Exception {
        ClientCall accepted = settledCall();
        CountDownLatch release = stallAndFill();
        try {
            int share = org.webims.gateway.sip.edge.EdgeProxy.MAX_QUEUED_PER_CALL_WHILE_FULL;
            for (int cseq = 10; cseq < 10 + share + 2; cseq++) {
                alice.send("INFO " + accepted.target + " SIP/2.0", alice.via("flood" + cseq), "Max-Forwards: 70",
                        "From: <" + alice.aor + ">;tag=c1", "To: <" + accepted.target + ">;tag=forged",
                        "Call-ID: " + accepted.callId, "CSeq: " + cseq + " INFO", "Content-Length: 0", "", "");
            }
            SIPResponse refused = (SIPResponse) Await.first("a request past the call's share refused", alice::received,
                    m -> m instanceof SIPResponse r && "INFO".equals(r.getCSeq().getMethod()));
            assertEquals(503, refused.getStatusCode(), refused.getFirstLine());
            assertTrue(refused.getHeader("Retry-After") != null, "Retry-After: " + refused);
            assertTrue(refused.getCSeq().getSeqNumber() >= 10 + share, "the first " + share + " wait: " + refused);
        } finally {
            release.countDown();
        }
        int lastWaiting = 10 + org.webims.gateway.sip.edge.EdgeProxy.MAX_QUEUED_PER_CALL_WHILE_FULL;
        // until the waiting flood is answered, the call's own BYE would be past its share too (503, as the 43rd INFO)
        Await.first("the flood that waited answered", alice::received, m -> m instanceof SIPResponse r
                && "INFO".equals(r.getCSeq().getMethod()) && r.getCSeq().getSeqNumber() == lastWaiting);
        accepted.continueAbove(lastWaiting + 2);
        accepted.bye();
        alice.awaitResponse("BYE", 200);
        gateway.awaitNoCall();
    }

    /** A call up, once the B2BUA's second look at its 2xx has run ({@link #STRAY_CHECK_SETTLES_MS}). */
    private ClientCall settledCall() throws InterruptedException {
        ClientCall call = alice.call("bob").connected();
        gateway.awaitEvent(CallEvent.Answered.class);
        Thread.sleep(STRAY_CHECK_SETTLES_MS);
        return call;
    }

    /** Every worker stalled and their queue full: count the latch down to let them go. */
    private CountDownLatch stallAndFill() throws InterruptedException {
        CountDownLatch release = gateway.stallExecutor();
        try {
            gateway.fillQueue();
        } catch (RuntimeException | Error e) {
            release.countDown();
            throw e;
        }
        return release;
    }

    private void strangerBye(int n) {
        alice.send("BYE sip:bob@" + GatewayUnderTest.DOMAIN + " SIP/2.0", alice.via("stranger" + n),
                "Max-Forwards: 70", "From: <" + alice.aor + ">;tag=c1", "To: <sip:bob@" + GatewayUnderTest.DOMAIN
                        + ">;tag=nobody", "Call-ID: stranger-" + n, "CSeq: 2 BYE", "Content-Length: 0", "", "");
    }

    private static boolean answersAStranger(javax.sip.message.Message m) {
        return m instanceof SIPResponse r && r.getCallId().getCallId().startsWith("stranger-");
    }
}

package org.webims.gateway.sip.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.transport.SocketBufferCheck;

class NgClientTest {
    private static final Duration ATTEMPT = Duration.ofMillis(150);
    /**
     * The attempt of a client whose test reads a command and then answers it: long enough that no retransmission comes
     * between the two on a loaded machine (with 150 ms a stale copy was once read as the next command, and the command
     * after it timed out: 2 failures in 54 runs beside four busy loops).
     */
    private static final Duration PATIENT = Duration.ofSeconds(5);

    private FakeRtpengine rtpengine;
    private ScheduledExecutorService timer;
    private ExecutorService completions;
    private NgClient client;

    @BeforeEach
    void start() throws IOException {
        rtpengine = new FakeRtpengine();
        timer = Executors.newSingleThreadScheduledExecutor();
        completions = Executors.newSingleThreadExecutor(r -> new Thread(r, "completions"));
        client = NgClient.open(new NgSettings(rtpengine.address(), 1, PATIENT), timer, completions);
    }

    @AfterEach
    void stop() {
        client.close();
        rtpengine.close();
        timer.shutdownNow();
        completions.shutdownNow();
    }

    private static NgSettings settings(InetSocketAddress address, int attempts) {
        return new NgSettings(address, attempts, ATTEMPT);
    }

    private static Map<String, Object> await(CompletableFuture<Map<String, Object>> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void theSocketAsksTheKernelForBuffersThatHoldABurstOfReplies() throws Exception {
        // Linux grants at most net.core.rmem_max; unasked, the JDK reports 104 KiB here (half the kernel's figure)
        java.nio.file.Path max = java.nio.file.Path.of("/proc/sys/net/core/rmem_max");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(max), "no " + max);
        // by lines: Files.readString read one byte of this procfs file
        long rmemMax = Long.parseLong(java.nio.file.Files.readAllLines(max).get(0).trim());
        assertTrue(client.receiveBufferBytes() >= Math.min(SocketBufferCheck.UDP_BUFFER_BYTES, rmemMax),
                client.receiveBufferBytes() + " bytes, rmem_max " + rmemMax);
    }

    @Test
    void sendsCookieSpaceBencodeAndMatchesTheReplyByCookie() throws Exception {
        CompletableFuture<Map<String, Object>> future = client.command(Map.of("command", "ping"));
        FakeRtpengine.Request request = rtpengine.next();
        assertEquals(Map.of("command", "ping"), request.body());
        assertFalse(request.cookie().isEmpty());
        assertTrue(new String(request.raw(), "US-ASCII").endsWith(" d7:command4:pinge"));
        rtpengine.reply(request, "d6:result4:ponge");
        assertEquals(Map.of("result", "pong"), await(future));
        assertEquals(0, client.pendingCount());
    }

    @Test
    void commandReturnsBeforeTheReplyAndCompletesOnTheCompletionsExecutor() throws Exception {
        CompletableFuture<String> thread = client.command(Map.of("command", "ping"))
                .thenApply(reply -> Thread.currentThread().getName());
        assertFalse(thread.isDone());
        rtpengine.reply(rtpengine.next(), "d6:result4:ponge");
        assertEquals("completions", thread.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aCallerWithAPendingInterruptNeitherClosesTheChannelNorLosesItsInterrupt() throws Exception {
        Thread.currentThread().interrupt(); // the datagram goes out on the caller's thread
        CompletableFuture<Map<String, Object>> first = client.command(Map.of("command", "ping"));
        assertTrue(Thread.interrupted(), "the caller's interrupt is still set");
        rtpengine.reply(rtpengine.next(), "d6:result4:ponge");
        assertEquals(Map.of("result", "pong"), await(first));
        CompletableFuture<Map<String, Object>> second = client.command(Map.of("command", "ping"));
        rtpengine.reply(rtpengine.next(), "d6:result4:ponge");
        assertEquals(Map.of("result", "pong"), await(second), "the shared channel is still open");
    }

    @Test
    void eachRequestGetsItsOwnCookieAndRepliesMayComeInAnyOrder() throws Exception {
        CompletableFuture<Map<String, Object>> first = client.command(Map.of("command", "query", "call-id", "a"));
        CompletableFuture<Map<String, Object>> second = client.command(Map.of("command", "query", "call-id", "b"));
        FakeRtpengine.Request r1 = rtpengine.next();
        FakeRtpengine.Request r2 = rtpengine.next();
        assertNotEquals(r1.cookie(), r2.cookie());
        rtpengine.reply(r2, Map.of("result", "ok", "for", r2.body().get("call-id")));
        rtpengine.reply(r1, Map.of("result", "ok", "for", r1.body().get("call-id")));
        assertEquals(first.get(5, TimeUnit.SECONDS).get("for"), "a");
        assertEquals(second.get(5, TimeUnit.SECONDS).get("for"), "b");
    }

    @Test
    void retransmitsTheSameDatagramUntilAnswered() throws Exception {
        // ten attempts: the answer to the third copy has seven more attempts' time (over a second) to arrive
        try (NgClient retrying = NgClient.open(settings(rtpengine.address(), 10), timer, completions)) {
            CompletableFuture<Map<String, Object>> future = retrying.command(Map.of("command", "offer", "sdp", "v=0"));
            FakeRtpengine.Request lost1 = rtpengine.next();
            FakeRtpengine.Request lost2 = rtpengine.next();
            FakeRtpengine.Request third = rtpengine.next();
            assertArrayEquals(lost1.raw(), lost2.raw());
            assertArrayEquals(lost1.raw(), third.raw());
            rtpengine.reply(third, "d6:result2:ok3:sdp3:v=0e");
            assertEquals("v=0", await(future).get("sdp"));
        }
    }

    @Test
    void failsWithAClearReasonAfterTheLastAttempt() throws Exception {
        client.close();
        client = NgClient.open(settings(rtpengine.address(), 3), timer, completions);
        long start = System.nanoTime();
        CompletableFuture<Map<String, Object>> future = client.command(Map.of("command", "offer"));
        for (int i = 0; i < 3; i++) {
            rtpengine.next();
        }
        Throwable cause = failure(future);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertInstanceOf(MediaGatewayException.class, cause);
        String address = rtpengine.address().getAddress().getHostAddress() + ":" + rtpengine.address().getPort();
        assertEquals("rtpengine at " + address + " did not answer 'offer' (3 attempts, 150 ms each)",
                cause.getMessage());
        assertTrue(elapsedMs >= 3 * ATTEMPT.toMillis() - 20, "gave up after " + elapsedMs + " ms");
        assertEquals(0, client.pendingCount());
    }

    @Test
    void aLateReplyAfterGivingUpIsIgnored() throws Exception {
        // one attempt of a second: the command after the late reply has that long to be answered
        try (NgClient once = NgClient.open(new NgSettings(rtpengine.address(), 1, Duration.ofSeconds(1)), timer,
                completions)) {
            CompletableFuture<Map<String, Object>> future = once.command(Map.of("command", "ping"));
            FakeRtpengine.Request request = rtpengine.next();
            assertInstanceOf(MediaGatewayException.class, failure(future));
            rtpengine.reply(request, "d6:result4:ponge");
            CompletableFuture<Map<String, Object>> next = once.command(Map.of("command", "ping"));
            rtpengine.reply(rtpengine.next(), "d6:result4:ponge");
            assertEquals("pong", await(next).get("result"));
        }
    }

    @Test
    void anErrorResultFailsWithRtpenginesReason() throws Exception {
        CompletableFuture<Map<String, Object>> future = client.command(Map.of("command", "answer"));
        rtpengine.reply(rtpengine.next(), "d6:result5:error12:error-reason15:Unknown call-ide");
        Throwable cause = failure(future);
        assertInstanceOf(MediaGatewayException.class, cause);
        assertEquals("rtpengine refused 'answer': Unknown call-id", cause.getMessage());
        assertEquals(MediaGatewayException.Failure.REFUSED, ((MediaGatewayException) cause).failure());
    }

    @Test
    void refusalsSayWhoseFaultTheyAre() throws Exception {
        CompletableFuture<Map<String, Object>> ports = client.command(Map.of("command", "offer"));
        rtpengine.reply(rtpengine.next(), "d6:result5:error12:error-reason16:Ran out of portse");
        assertEquals(MediaGatewayException.Failure.OUT_OF_PORTS, ((MediaGatewayException) failure(ports)).failure());
        CompletableFuture<Map<String, Object>> sdp = client.command(Map.of("command", "offer"));
        rtpengine.reply(rtpengine.next(), "d6:result5:error12:error-reason19:Failed to parse SDPe");
        assertEquals(MediaGatewayException.Failure.BAD_SDP, ((MediaGatewayException) failure(sdp)).failure());
        CompletableFuture<Map<String, Object>> incomplete = client.command(Map.of("command", "offer"));
        rtpengine.reply(rtpengine.next(), "d6:result5:error12:error-reason28:Incomplete SDP specificatione");
        assertEquals(MediaGatewayException.Failure.BAD_SDP,
                ((MediaGatewayException) failure(incomplete)).failure());
    }

    @Test
    void aMalformedReplyFailsTheRequestAndTheClientKeepsWorking() throws Exception {
        CompletableFuture<Map<String, Object>> future = client.command(Map.of("command", "list"));
        rtpengine.reply(rtpengine.next(), "d6:result2:ok5:callsl999999:xee");
        Throwable cause = failure(future);
        assertInstanceOf(MediaGatewayException.class, cause);
        assertTrue(cause.getMessage().startsWith("malformed reply from rtpengine"), cause.getMessage());

        CompletableFuture<Map<String, Object>> next = client.command(Map.of("command", "ping"));
        rtpengine.reply(rtpengine.next(), "d6:result4:ponge");
        assertEquals("pong", await(next).get("result"));
    }

    @Test
    void strayDatagramsAreIgnored() throws Exception {
        CompletableFuture<Map<String, Object>> future = client.command(Map.of("command", "ping"));
        FakeRtpengine.Request request = rtpengine.next();
        rtpengine.send(request.from(), "no-cookie-here".getBytes("US-ASCII"));
        rtpengine.send(request.from(), "unknown_1 d6:result4:ponge".getBytes("US-ASCII"));
        rtpengine.send(request.from(), new byte[0]);
        rtpengine.reply(request, "d6:result4:ponge");
        assertEquals("pong", await(future).get("result"));
    }

    @Test
    void anUnexpectedResultIsAFailure() throws Exception {
        CompletableFuture<Map<String, Object>> future = client.command(Map.of("command", "offer"));
        rtpengine.reply(rtpengine.next(), "d6:result10:load limite");
        assertTrue(failure(future).getMessage().contains("'load limit'"));
    }

    @Test
    void closeFailsPendingRequestsAndLaterCommands() throws Exception {
        CompletableFuture<Map<String, Object>> pending = client.command(Map.of("command", "ping"));
        rtpengine.next();
        client.close();
        assertTrue(failure(pending).getMessage().endsWith("is closed"));
        assertTrue(failure(client.command(Map.of("command", "ping"))).getMessage().endsWith("is closed"));
        assertEquals(0, client.pendingCount());
        String receiver = NgClient.RECEIVER_THREAD + " " + client.settings().describe();
        assertTrue(waitForThreadToEnd(receiver), receiver + " still running");
    }

    @Test
    void aRequestBencodeCannotCarryFailsAtOnce() {
        Map<String, Object> bad = Map.of("command", "offer", "ICE", Boolean.TRUE);
        assertInstanceOf(MediaGatewayException.class, failure(client.command(bad)));
        assertEquals(0, client.pendingCount());
    }

    @Test
    void anOversizedRequestFailsAtOnce() {
        Map<String, Object> huge = Map.of("command", "offer", "sdp", "a".repeat(NgClient.MAX_DATAGRAM));
        assertTrue(failure(client.command(huge)).getMessage().contains("does not fit"));
    }

    @Test
    void anUnreachableRtpengineFailsWithinTheTimeout() throws Exception {
        InetSocketAddress nobody;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            nobody = (InetSocketAddress) probe.getLocalSocketAddress();
        }
        try (NgClient lonely = NgClient.open(settings(nobody, 2), completions)) {
            CompletableFuture<Map<String, Object>> future = lonely.command(Map.of("command", "ping"));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> future.get(2 * ATTEMPT.toMillis() + 2_000, TimeUnit.MILLISECONDS));
            assertTrue(e.getCause().getMessage().contains("did not answer 'ping'"), e.getCause().getMessage());
        }
    }

    @Test
    void cancellingReleasesTheRequest() throws Exception {
        try (NgClient retrying = NgClient.open(settings(rtpengine.address(), 10), timer, completions)) {
            CompletableFuture<Map<String, Object>> future = retrying.command(Map.of("command", "ping"));
            rtpengine.next();
            future.cancel(false);
            assertEquals(0, retrying.pendingCount());
            // not cancelled, it would go out again every 150 ms; a copy sent before the cancel (the test thread may be
            // late to it on a loaded machine) may still arrive
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_200);
            int copies = 0;
            try {
                while (true) {
                    // at least 1 ms: a timeout of 0 would wait for ever
                    rtpengine.nextWithin(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                    copies++;
                }
            } catch (TimeoutException quiet) {
                assertTrue(copies <= 2, copies + " copies after the cancel: still retransmitted");
            }
        }
    }

    private static boolean waitForThreadToEnd(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            boolean alive = Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals(name) && t.isAlive());
            if (!alive) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return false;
    }

    /** A client allowing two commands in flight and one waiting offer of a new session. */
    private NgClient narrow() throws IOException {
        client.close();
        // one attempt of 5 s: no retransmission can come between the commands the test reads
        client = NgClient.open(new NgSettings(rtpengine.address(), 1, Duration.ofSeconds(5)).withFlowControl(2, 1),
                timer, completions);
        return client;
    }

    private static Map<String, Object> offer(String callId) {
        return Map.of("command", "offer", "call-id", callId, "sdp", "v=0");
    }

    @Test
    void noMoreThanMaxInFlightAreSentAndTheRestGoOutAsTurnsFree() throws Exception {
        NgClient ng = narrow();
        CompletableFuture<Map<String, Object>> a = ng.command(offer("a"), NgCommands.Urgency.NEW_SESSION);
        CompletableFuture<Map<String, Object>> b = ng.command(offer("b"), NgCommands.Urgency.NEW_SESSION);
        CompletableFuture<Map<String, Object>> c = ng.command(offer("c"), NgCommands.Urgency.NEW_SESSION);
        FakeRtpengine.Request first = rtpengine.next();
        FakeRtpengine.Request second = rtpengine.next();
        assertEquals(2, ng.inFlightCount());
        assertThrows(TimeoutException.class, () -> rtpengine.nextWithin(Duration.ofMillis(100)),
                "the third waits for a turn");
        rtpengine.reply(first, "d6:result2:ok3:sdp3:v=0e");
        FakeRtpengine.Request third = rtpengine.next();
        assertEquals("c", third.body().get("call-id"));
        rtpengine.reply(second, "d6:result2:ok3:sdp3:v=0e");
        rtpengine.reply(third, "d6:result2:ok3:sdp3:v=0e");
        await(a);
        await(b);
        await(c);
        assertEquals(0, ng.inFlightCount());
    }

    @Test
    void whatCallsInProgressNeedGoesBeforeNewSessions() throws Exception {
        NgClient ng = narrow();
        ng.command(offer("a"), NgCommands.Urgency.NEW_SESSION);
        ng.command(offer("b"), NgCommands.Urgency.NEW_SESSION);
        FakeRtpengine.Request first = rtpengine.next();
        rtpengine.next();
        ng.command(offer("new"), NgCommands.Urgency.NEW_SESSION);
        ng.command(Map.of("command", "delete", "call-id", "old"));
        rtpengine.reply(first, "d6:result2:ok3:sdp3:v=0e");
        assertEquals("delete", rtpengine.next().body().get("command"), "the delete overtakes the waiting offer");
    }

    @Test
    void aNewSessionBeyondTheWaitingBoundFailsAtOnceAsOverloadedAndSaysSaturated() throws Exception {
        NgClient ng = narrow();
        ng.command(offer("a"), NgCommands.Urgency.NEW_SESSION);
        ng.command(offer("b"), NgCommands.Urgency.NEW_SESSION);
        assertFalse(ng.saturated());
        ng.command(offer("c"), NgCommands.Urgency.NEW_SESSION);
        assertTrue(ng.saturated(), "every turn taken and the queue of new sessions full");
        CompletableFuture<Map<String, Object>> refused = ng.command(offer("d"), NgCommands.Urgency.NEW_SESSION);
        MediaGatewayException e = (MediaGatewayException) failure(refused);
        assertEquals(MediaGatewayException.Failure.OVERLOADED, e.failure());
        CompletableFuture<Map<String, Object>> delete = ng.command(Map.of("command", "delete", "call-id", "x"));
        assertFalse(delete.isDone(), "a call in progress still queues its delete");
    }

    @Test
    void newSessionsAreRefusedOnceACommandHasWaitedLongerThanTheQueueMayDelay() throws Exception {
        // 2 in flight, room for 8 waiting offers: the count bound is far; only the delay refuses here
        // a and b stay in flight (one attempt of 5 s, never answered), so the delete waits behind them
        NgClient ng = NgClient.open(new NgSettings(rtpengine.address(), 1, PATIENT).withFlowControl(2, 8)
                .withMaxQueueDelay(Duration.ofMillis(200)), timer, completions);
        try {
            ng.command(offer("a"), NgCommands.Urgency.NEW_SESSION);
            ng.command(offer("b"), NgCommands.Urgency.NEW_SESSION);
            ng.command(Map.of("command", "delete", "call-id", "x"));
            assertFalse(ng.saturated(), "a delete just queued: no delay yet");
            Thread.sleep(250); // past the 200 ms the queue may delay (a lower bound, not a timing assertion)
            assertTrue(ng.saturated(), "the waiting delete has waited longer than the queue may delay");
            MediaGatewayException e = (MediaGatewayException) failure(ng.command(offer("c"),
                    NgCommands.Urgency.NEW_SESSION));
            assertEquals(MediaGatewayException.Failure.OVERLOADED, e.failure());
            assertFalse(ng.command(Map.of("command", "delete", "call-id", "y")).isDone(),
                    "a call in progress still queues its delete");
        } finally {
            ng.close();
        }
    }

    @Test
    void aBurstThatWaitsLessThanTheQueueMayDelayIsTakenNotRefused() throws Exception {
        NgClient ng = NgClient.open(new NgSettings(rtpengine.address(), 1, PATIENT).withFlowControl(1, 8)
                .withMaxQueueDelay(Duration.ofSeconds(30)), timer, completions);
        try {
            List<CompletableFuture<Map<String, Object>>> burst = new java.util.ArrayList<>();
            burst.add(ng.command(offer("burst-0"), NgCommands.Urgency.NEW_SESSION));
            burst.add(ng.command(Map.of("command", "delete", "call-id", "old"))); // waits: a full round (1) of them
            for (int i = 1; i < 5; i++) {
                burst.add(ng.command(offer("burst-" + i), NgCommands.Urgency.NEW_SESSION));
            }
            assertFalse(ng.saturated(), "a delete and four offers waiting, under the count bound and the delay");
            for (int i = 0; i < 6; i++) {
                rtpengine.reply(rtpengine.next(), "d6:result2:ok3:sdp3:v=0e");
            }
            for (CompletableFuture<Map<String, Object>> f : burst) {
                assertEquals("ok", f.get(5, java.util.concurrent.TimeUnit.SECONDS).get("result"),
                        "taken, not refused as the waiting delete once made it");
            }
        } finally {
            ng.close();
        }
    }

    @Test
    void aCommandThatWaitedTwiceWhatACommandMayTakeFailsInsteadOfGoingOutLate() throws Exception {
        // one turn, one attempt of 150 ms each, rtpengine silent: each sent command expires 150 ms after it went out,
        // so turns free at about 150, 300, 450 ms; a command may wait 300 ms. The turn freed near 300 ms may find c
        // just under or just over its limit (and d, queued a moment later, on the other side of it), so the
        // assertion is on e: whatever happens at 300 ms, e has waited about 450 ms when the next turn frees
        NgClient ng = NgClient.open(settings(rtpengine.address(), 1).withFlowControl(1, 8), timer, completions);
        try {
            List<CompletableFuture<Map<String, Object>>> calls = new java.util.ArrayList<>();
            for (String id : List.of("a", "b", "c", "d", "e")) {
                calls.add(ng.command(offer(id), NgCommands.Urgency.NEW_SESSION));
            }
            failure(calls.get(0));
            MediaGatewayException late = (MediaGatewayException) failure(calls.get(4));
            assertEquals(MediaGatewayException.Failure.OVERLOADED, late.failure(), "e waited past 300 ms: "
                    + late.getMessage());
            assertTrue(late.getMessage().contains("waited longer than"), late.getMessage());
            for (int i = 1; i < 4; i++) {
                failure(calls.get(i));
            }
            assertEquals(0, ng.inFlightCount());
        } finally {
            ng.close();
        }
    }

    @Test
    void anUnansweredCommandGivesItsTurnBackWhenItFails() throws Exception {
        // one attempt of a second: the second command has that long to be answered
        NgClient ng = NgClient.open(new NgSettings(rtpengine.address(), 1, Duration.ofSeconds(1)).withFlowControl(1, 1),
                timer, completions);
        try {
            CompletableFuture<Map<String, Object>> lost = ng.command(offer("a"), NgCommands.Urgency.NEW_SESSION);
            CompletableFuture<Map<String, Object>> next = ng.command(offer("b"), NgCommands.Urgency.NEW_SESSION);
            rtpengine.next(); // never answered
            failure(lost);
            FakeRtpengine.Request second = rtpengine.next();
            assertEquals("b", second.body().get("call-id"));
            rtpengine.reply(second, "d6:result2:ok3:sdp3:v=0e");
            await(next);
            assertEquals(0, ng.inFlightCount());
        } finally {
            ng.close();
        }
    }
}

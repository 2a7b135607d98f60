package org.webims.gateway.ejb.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.CallEvent;
import org.webims.gateway.ports.call.CallFacts;
import org.webims.gateway.ports.call.MessageFacts;
import org.webims.gateway.ports.call.Party;
import org.webims.gateway.ports.charging.CreditDecision;

/** The credit-control session rules (RFC 4006 §5), with a transport the test answers by rule. */
class OnlineChargingTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<CreditRequest> sent = new CopyOnWriteArrayList<>();
    private final List<String> released = new CopyOnWriteArrayList<>();
    /** What the OCS answers: a function of the request, or null for no answer at all. */
    private java.util.function.Function<CreditRequest, CreditAnswer> ocs = r -> ok(30L, false);

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    private static CreditAnswer ok(Long granted, boolean last) {
        return new CreditAnswer(2001, granted, null, null, last, null);
    }

    private OnlineCharging charging(FailureHandling handling) {
        CreditTransport transport = (request, failover) -> {
            sent.add(request);
            CreditAnswer answer = ocs.apply(request);
            return answer == null ? CompletableFuture.failedFuture(new IllegalStateException("Tx expired"))
                    : CompletableFuture.completedFuture(answer);
        };
        return charging(transport, handling);
    }

    private OnlineCharging charging(CreditTransport transport, FailureHandling handling) {
        return new OnlineCharging(transport, new SessionIds("gw", 1), timers, Clock.systemUTC(),
                new OnlineCharging.Settings(60, handling, Duration.ofSeconds(1), TX));
    }

    private static final Duration TX = Duration.ofMillis(300);

    /** A transport that keeps each request's answer for the test to give (or never). */
    private final List<CompletableFuture<CreditAnswer>> pending = new CopyOnWriteArrayList<>();

    private CreditTransport byHand() {
        return (request, failover) -> {
            sent.add(request);
            CompletableFuture<CreditAnswer> answer = new CompletableFuture<>();
            pending.add(answer);
            return answer;
        };
    }

    private List<CreditRequest.Type> types() {
        return sent.stream().map(CreditRequest::type).toList();
    }

    @Test
    void underContinueTheCallGoesThroughAtTxAndALateAnswerTakesControlOfIt() throws Exception {
        OnlineCharging charging = charging(byHand(), FailureHandling.CONTINUE);
        long started = System.nanoTime();
        CreditDecision decision = reserve(charging);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertInstanceOf(CreditDecision.Granted.class, decision);
        assertTrue(waited >= TX.toMillis() - 20 && waited < 2 * TX.toMillis(), "decided at Tx, not later: " + waited);
        charging.onCallEvent(new CallEvent.Answered(call(), Instant.now(), List.of(), List.of()));
        pending.get(0).complete(ok(1L, true)); // the alternative OCS answers after all: the final second
        Thread.sleep(1300);
        assertEquals(List.of("final units used: credit exhausted"), released, "controlled again");
    }

    @Test
    void underTerminateTheCallIsRefusedAtTxAndALateGrantIsClosed() throws Exception {
        OnlineCharging charging = charging(byHand(), FailureHandling.TERMINATE);
        assertEquals(503, ((CreditDecision.Refused) reserve(charging)).status());
        pending.get(0).complete(ok(30L, false));
        assertEquals(List.of(CreditRequest.Type.INITIAL, CreditRequest.Type.TERMINATION), types(),
                "the OCS's session, opened by the late answer, is closed");
        assertEquals(0, charging.openSessions());
    }

    @Test
    void underRetryAndTerminateTxWaitsForTheAlternativeOcs() throws Exception {
        OnlineCharging charging = charging(byHand(), FailureHandling.RETRY_AND_TERMINATE);
        var decision = charging.reserve(call(), released::add).toCompletableFuture();
        Thread.sleep(TX.toMillis() + 200);
        assertFalse(decision.isDone(), "no decision at Tx: the request is with the alternative OCS");
        pending.get(0).complete(ok(30L, false));
        assertInstanceOf(CreditDecision.Granted.class, decision.get(1, TimeUnit.SECONDS));
    }

    @Test
    void theTerminationWaitsForTheUpdateInFlightSoNoTimeIsReportedTwice() throws Exception {
        OnlineCharging charging = charging(byHand(), FailureHandling.TERMINATE);
        var decision = charging.reserve(call(), released::add);
        pending.get(0).complete(ok(2L, false));
        decision.toCompletableFuture().get(1, TimeUnit.SECONDS);
        Instant answered = Instant.now();
        charging.onCallEvent(new CallEvent.Answered(call(), answered, List.of(), List.of()));
        Thread.sleep(1300); // the update goes at 1 s
        assertEquals(List.of(CreditRequest.Type.INITIAL, CreditRequest.Type.UPDATE), types());
        charging.onCallEvent(new CallEvent.Ended(call(), answered.plusMillis(1500), CallEnd.bye(Party.IMS), true));
        assertEquals(2, sent.size(), "no CCR-TERMINATION while the CCR-UPDATE is unanswered");
        pending.get(1).complete(ok(2L, false));
        assertEquals(CreditRequest.Type.TERMINATION, sent.get(2).type());
        assertEquals(1, sent.get(1).usedSeconds());
        assertEquals(1, sent.get(2).usedSeconds(), "1.5 s in all: 1 in the update, the rest in the termination");
        assertEquals(0, charging.openSessions());
    }

    @Test
    void nothingMoreGrantedOnAnUpdateReleasesTheCallInsteadOfAskingAgainAndAgain() throws Exception {
        ocs = r -> r.type() == CreditRequest.Type.INITIAL ? ok(2L, false) : ok(0L, false);
        OnlineCharging charging = charging(FailureHandling.TERMINATE);
        reserve(charging);
        charging.onCallEvent(new CallEvent.Answered(call(), Instant.now(), List.of(), List.of()));
        Thread.sleep(1500);
        assertEquals(List.of("credit limit reached"), released);
        assertEquals(1, sent.stream().filter(r -> r.type() == CreditRequest.Type.UPDATE).count());
    }

    @Test
    void aThresholdAsLongAsTheGrantAsksAtHalfTheGrantNotAtOnce() throws Exception {
        ocs = r -> new CreditAnswer(2001, 2L, null, 5L, false, null);
        OnlineCharging charging = charging(FailureHandling.TERMINATE);
        reserve(charging);
        charging.onCallEvent(new CallEvent.Answered(call(), Instant.now(), List.of(), List.of()));
        Thread.sleep(800);
        assertEquals(List.of(CreditRequest.Type.INITIAL), types(), "the first update is due at 1 s, half the grant");
        Thread.sleep(500);
        assertEquals(1, sent.stream().filter(r -> r.type() == CreditRequest.Type.UPDATE).count());
    }

    @Test
    void aValidityTimeWithoutGrantedUnitsIsHonoured() throws Exception {
        ocs = r -> new CreditAnswer(2001, null, 1L, null, false, null);
        OnlineCharging charging = charging(FailureHandling.TERMINATE);
        reserve(charging);
        charging.onCallEvent(new CallEvent.Answered(call(), Instant.now(), List.of(), List.of()));
        Thread.sleep(1300);
        assertTrue(types().contains(CreditRequest.Type.UPDATE), "asked again at the Validity-Time: " + types());
    }

    @Test
    void aRefusalOfTheUnitsInsideASuccessfulAnswerClosesTheOcssSession() throws Exception {
        ocs = r -> r.type() == CreditRequest.Type.INITIAL
                ? new CreditAnswer(4012, null, null, null, false, null, 2001) : ok(null, false);
        assertEquals(402, ((CreditDecision.Refused) reserve(charging(FailureHandling.TERMINATE))).status());
        assertEquals(List.of(CreditRequest.Type.INITIAL, CreditRequest.Type.TERMINATION), types());
    }

    @Test
    void theStopClosesEveryCreditSessionWithTheUsedTime() throws Exception {
        OnlineCharging charging = charging(FailureHandling.TERMINATE);
        reserve(charging);
        charging.onCallEvent(new CallEvent.Answered(call(), Instant.now().minusSeconds(3), List.of(), List.of()));
        charging.close().get(1, TimeUnit.SECONDS);
        assertEquals(CreditRequest.Type.TERMINATION, sent.get(sent.size() - 1).type());
        assertEquals(3, sent.get(sent.size() - 1).usedSeconds());
        assertEquals(TerminationCause.ADMINISTRATIVE, sent.get(sent.size() - 1).terminationCause());
        assertEquals(0, charging.openSessions());
    }

    @Test
    void theTerminationSaysHowTheCallEnded() throws Exception {
        OnlineCharging charging = charging(FailureHandling.TERMINATE);
        reserve(charging);
        charging.onCallEvent(new CallEvent.Answered(call(), Instant.now(), List.of(), List.of()));
        charging.onCallEvent(new CallEvent.Ended(call(), Instant.now(), new CallEnd(
                org.webims.gateway.ports.call.EndCause.FLOW_CLOSED, Party.WEBRTC, 0, "WebSocket closed"), true));
        assertEquals(CreditRequest.Type.TERMINATION, sent.get(1).type());
        assertEquals(TerminationCause.LINK_BROKEN, sent.get(1).terminationCause(), "RFC 6733 §8.15");
        assertEquals(null, sent.get(0).terminationCause(), "only in the TERMINATION");

        sent.clear();
        reserve(charging);
        charging.onCallEvent(new CallEvent.Answered(call(), Instant.now(), List.of(), List.of()));
        charging.onCallEvent(new CallEvent.Ended(call(), Instant.now(), CallEnd.bye(Party.IMS), true));
        assertEquals(TerminationCause.LOGOUT, sent.get(1).terminationCause());
    }

    private static CallFacts call() {
        return new CallFacts("c1", CallDirection.ORIGINATING, "sip:alice@ims.test", "tel:+15550100", null,
                Instant.now(), "icid");
    }

    private CreditDecision reserve(OnlineCharging charging) throws Exception {
        return charging.reserve(call(), released::add).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theFinalUnitsReleaseTheCallWhenUsedAndTheTerminationReportsThem() throws Exception {
        ocs = r -> ok(1L, true);
        OnlineCharging charging = charging(FailureHandling.TERMINATE);
        assertInstanceOf(CreditDecision.Granted.class, reserve(charging));
        Instant answered = Instant.now();
        charging.onCallEvent(new CallEvent.Answered(call(), answered, List.of(), List.of()));
        Thread.sleep(1300);
        assertEquals(List.of("final units used: credit exhausted"), released);
        charging.onCallEvent(new CallEvent.Ended(call(), answered.plusSeconds(1), CallEnd.bye(Party.GATEWAY), true));
        assertEquals(List.of(CreditRequest.Type.INITIAL, CreditRequest.Type.TERMINATION),
                sent.stream().map(CreditRequest::type).toList());
        assertEquals(1, sent.get(1).usedSeconds());
        assertEquals(TerminationCause.AUTH_EXPIRED, sent.get(1).terminationCause(), "released at the final units");
        assertEquals(List.of(0, 1), sent.stream().map(CreditRequest::number).toList());
        assertEquals(0, charging.openSessions());
    }

    @Test
    void anUpdateGoesBeforeTheGrantRunsOutWithTheUsedTime() throws Exception {
        ocs = r -> ok(2L, false);
        OnlineCharging charging = charging(FailureHandling.TERMINATE);
        reserve(charging);
        charging.onCallEvent(new CallEvent.Answered(call(), Instant.now(), List.of(), List.of()));
        Thread.sleep(1500); // 2 s granted, threshold 1 s (a quarter, at least 1): the update at 1 s
        assertTrue(sent.stream().anyMatch(r -> r.type() == CreditRequest.Type.UPDATE), sent.toString());
        CreditRequest update = sent.stream().filter(r -> r.type() == CreditRequest.Type.UPDATE).findFirst().get();
        assertEquals(1, update.usedSeconds());
        assertEquals(60, update.requestedSeconds());
        assertTrue(released.isEmpty());
    }

    @Test
    void refusalsBecomeSipStatuses() throws Exception {
        ocs = r -> new CreditAnswer(4012, null, null, null, false, null);
        assertEquals(new CreditDecision.Refused(402, "credit limit reached"), reserve(charging(FailureHandling.TERMINATE)));
        ocs = r -> new CreditAnswer(5030, null, null, null, false, null);
        assertEquals(403, ((CreditDecision.Refused) reserve(charging(FailureHandling.TERMINATE))).status());
        ocs = r -> new CreditAnswer(4010, null, null, null, false, null);
        assertEquals(403, ((CreditDecision.Refused) reserve(charging(FailureHandling.TERMINATE))).status());
    }

    @Test
    void anUnreachableOcsRefusesUnderTerminateAndGrantsUnderContinue() throws Exception {
        ocs = r -> null;
        assertEquals(503, ((CreditDecision.Refused) reserve(charging(FailureHandling.TERMINATE))).status());
        assertEquals(503, ((CreditDecision.Refused) reserve(charging(FailureHandling.RETRY_AND_TERMINATE)))
                .status());
        OnlineCharging continuing = charging(FailureHandling.CONTINUE);
        assertInstanceOf(CreditDecision.Granted.class, reserve(continuing));
        continuing.onCallEvent(new CallEvent.Ended(call(), Instant.now(), CallEnd.bye(Party.IMS), true));
        assertEquals(0, continuing.openSessions());
    }

    @Test
    void theOcssFailureHandlingOverridesOursMidCall() throws Exception {
        ocs = r -> r.type() == CreditRequest.Type.INITIAL
                ? new CreditAnswer(2001, 2L, null, null, false, FailureHandling.CONTINUE) : null;
        OnlineCharging charging = charging(FailureHandling.TERMINATE);
        reserve(charging);
        charging.onCallEvent(new CallEvent.Answered(call(), Instant.now(), List.of(), List.of()));
        Thread.sleep(1500);
        assertTrue(released.isEmpty(), "CONTINUE from the OCS: the call goes on though the update failed");
        ocs = r -> r.type() == CreditRequest.Type.INITIAL
                ? new CreditAnswer(2001, 2L, null, null, false, FailureHandling.TERMINATE) : null;
        OnlineCharging strict = charging(FailureHandling.CONTINUE);
        strict.reserve(call(), released::add).toCompletableFuture().get(5, TimeUnit.SECONDS);
        strict.onCallEvent(new CallEvent.Answered(call(), Instant.now(), List.of(), List.of()));
        Thread.sleep(1500);
        assertEquals(1, released.size(), "TERMINATE from the OCS: released when the update fails");
    }

    @Test
    void aCallEndedBeforeTheInitialAnswerIsClosedWhenItComes() throws Exception {
        CompletableFuture<CreditAnswer> late = new CompletableFuture<>();
        CreditTransport transport = (request, failover) -> {
            sent.add(request);
            return request.type() == CreditRequest.Type.INITIAL ? late : CompletableFuture.completedFuture(ok(null,
                    false));
        };
        OnlineCharging charging = charging(transport, FailureHandling.TERMINATE);
        var decision = charging.reserve(call(), released::add);
        charging.onCallEvent(new CallEvent.Ended(call(), Instant.now(), CallEnd.cancel(Party.WEBRTC), false));
        late.complete(ok(30L, false));
        decision.toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(CreditRequest.Type.INITIAL, CreditRequest.Type.TERMINATION),
                sent.stream().map(CreditRequest::type).toList());
        assertEquals(0, sent.get(1).usedSeconds());
        assertEquals(TerminationCause.SERVICE_NOT_PROVIDED, sent.get(1).terminationCause(),
                "RFC 6733 §8.15: ended before the answer to the request for authorization");
        assertEquals(0, charging.openSessions());
    }

    @Test
    void theUserIsWarnedBeforeTheFinalUnitsRunOut() throws Exception {
        ocs = r -> ok(2L, true);
        List<java.time.Duration> warned = new CopyOnWriteArrayList<>();
        CreditTransport transport = (request, failover) -> {
            sent.add(request);
            return CompletableFuture.completedFuture(ocs.apply(request));
        };
        OnlineCharging charging = new OnlineCharging(transport, new SessionIds("gw", 1), timers, Clock.systemUTC(),
                new OnlineCharging.Settings(60, FailureHandling.TERMINATE, Duration.ofSeconds(1), TX,
                        Duration.ofSeconds(1)));
        org.webims.gateway.ports.charging.CallRelease release = new org.webims.gateway.ports.charging.CallRelease() {
            @Override
            public void release(String why) {
                released.add(why);
            }

            @Override
            public void warnFinalUnits(Duration left) {
                warned.add(left);
            }
        };
        charging.reserve(call(), release).toCompletableFuture().get(5, TimeUnit.SECONDS);
        charging.onCallEvent(new CallEvent.Answered(call(), Instant.now(), List.of(), List.of()));
        Thread.sleep(1400);
        assertEquals(1, warned.size(), "warned once, a second before the end");
        assertEquals(1000, warned.get(0).toMillis(), 150);
        assertTrue(released.isEmpty(), "not released yet");
        Thread.sleep(900);
        assertEquals(List.of("final units used: credit exhausted"), released);
    }

    /** An OCS whose peers have no room for a new session: a CCR-INITIAL or EVENT fails at once, updates still go. */
    private CreditTransport saturated() {
        return new CreditTransport() {
            @Override
            public CompletableFuture<CreditAnswer> send(CreditRequest request, boolean failover) {
                sent.add(request);
                if (request.type() == CreditRequest.Type.INITIAL || request.type() == CreditRequest.Type.EVENT) {
                    return CompletableFuture.failedFuture(new java.util.concurrent.CompletionException(
                            new CreditTransport.Saturated("3 of 4 in flight")));
                }
                return CompletableFuture.completedFuture(ok(30L, false));
            }

            @Override
            public boolean saturated() {
                return true;
            }
        };
    }

    @Test
    void aSaturatedOcsRefusesNewCallsAtOnceWith503ExceptUnderContinue() throws Exception {
        OnlineCharging terminate = charging(saturated(), FailureHandling.TERMINATE);
        assertEquals(java.util.Optional.of("online charging saturated"), terminate.refusesNewCalls(),
                "asked before admission: refused before anything is reserved");
        var decision = terminate.reserve(call(), released::add).toCompletableFuture();
        assertTrue(decision.isDone(), "decided at once, not at Tx");
        assertEquals(new CreditDecision.Refused(503, "online charging saturated"), decision.get());
        assertEquals(new CreditDecision.Refused(503, "online charging saturated"),
                terminate.debit(message()).toCompletableFuture().get(1, TimeUnit.SECONDS));
        assertEquals(0, terminate.openSessions());

        OnlineCharging continuing = charging(saturated(), FailureHandling.CONTINUE);
        assertEquals(java.util.Optional.empty(), continuing.refusesNewCalls(),
                "RFC 4006 5.7 CONTINUE: as with DIAMETER_TOO_BUSY, the call goes on without credit control");
        assertInstanceOf(CreditDecision.Granted.class, reserve(continuing));
    }

    private static MessageFacts message() {
        return new MessageFacts(CallDirection.ORIGINATING, "sip:alice@ims.test", "sip:bob@ims.test", null, "icid",
                Instant.now(), Instant.now(), 200);
    }
}

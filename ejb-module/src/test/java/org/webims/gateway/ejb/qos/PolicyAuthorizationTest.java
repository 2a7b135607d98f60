package org.webims.gateway.ejb.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.peer.PeerException;
import org.webims.gateway.diameter.peer.Urgency;
import org.webims.gateway.diameter.codec.ResultCode;
import org.webims.gateway.ejb.charging.SessionIds;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.CallFacts;
import org.webims.gateway.ports.qos.MediaComponent;
import org.webims.gateway.ports.qos.QosDecision;

/** The AF's Rx session logic against a transport whose answers the test gives by hand (pure logic, no peer). */
class PolicyAuthorizationTest {
    private static final CallFacts CALL = new CallFacts("c1", CallDirection.ORIGINATING, "sip:alice@ims.example.test",
            "sip:bob@ims.example.test", null, Instant.EPOCH, "icid-1");
    private static final List<MediaComponent> AUDIO = List.of(new MediaComponent(1, "audio",
            new MediaComponent.Endpoint("198.51.100.7", 50000), MediaComponent.Endpoint.UNKNOWN, true,
            MediaComponent.Direction.SENDRECV, 64000, 64000, "m=audio 50000 UDP/TLS/RTP/SAVPF 111", null, true));

    /** Records each request and the host it was addressed to; answers when the test says. */
    private static final class Transport implements PolicyAuthorization.Transport {
        final List<DiameterMessage> sent = new ArrayList<>();
        final List<String> hosts = new ArrayList<>();
        final List<Urgency> urgencies = new ArrayList<>();
        final List<CompletableFuture<DiameterMessage>> answers = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<DiameterMessage> send(DiameterMessage request, String sessionHost,
                Urgency urgency) {
            sent.add(request);
            hosts.add(sessionHost);
            urgencies.add(urgency);
            CompletableFuture<DiameterMessage> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public synchronized CompletableFuture<DiameterMessage> sendOver(DiameterMessage request, String peerHost,
                Urgency urgency) {
            return send(request, "over " + peerHost, urgency);
        }

        @Override
        public int nextEndToEnd() {
            return 1;
        }

        void answer(int index, long result) {
            answers.get(index).complete(answerTo(sent.get(index), result, "pcrf-a.test.example"));
        }

        int count(int command) {
            return (int) sent.stream().filter(m -> m.commandCode() == command).count();
        }
    }

    private static DiameterMessage answerTo(DiameterMessage request, long result, String origin) {
        return new DiameterMessage(request.commandCode(), false, true, false, false, request.applicationId(),
                request.hopByHop(), request.endToEnd(), List.of(request.first(AvpCode.SESSION_ID).orElseThrow(),
                        Avp.unsigned32(AvpCode.RESULT_CODE, result), Avp.utf8(AvpCode.ORIGIN_HOST, origin),
                        Avp.utf8(AvpCode.ORIGIN_REALM, "test.example")));
    }

    private final Transport transport = new Transport();
    private final List<String> released = new ArrayList<>();

    private PolicyAuthorization authorization(QosMode mode) {
        return new PolicyAuthorization(transport, new RxMessages("gw.test", "test", "pcrf.test"),
                new SessionIds("gw.test", 1), mode);
    }

    private CompletionStage<QosDecision> authorise(PolicyAuthorization rx) {
        return rx.authorise(CALL, "198.51.100.7", AUDIO, released::add);
    }

    private static String sessionOf(DiameterMessage m) {
        return m.first(AvpCode.SESSION_ID).orElseThrow().utf8();
    }

    private static DiameterMessage serverRequest(int command, String session, List<Avp> more) {
        List<Avp> avps = new ArrayList<>(List.of(Avp.utf8(AvpCode.SESSION_ID, session)));
        avps.addAll(more);
        return new DiameterMessage(command, true, true, false, false, RxMessages.RX_APPLICATION, 7, 7, avps);
    }

    @Test
    void aSuccessfulAaaLetsTheCallGoOnAndLaterRequestsGoToThePcrfThatAnswered() {
        PolicyAuthorization rx = authorization(QosMode.REQUIRED);
        CompletableFuture<QosDecision> decision = authorise(rx).toCompletableFuture();
        assertNull(transport.hosts.get(0), "the initial AAR goes to any PCRF");
        transport.answer(0, 2001);
        assertInstanceOf(QosDecision.Proceed.class, decision.join());
        rx.modify("c1", AUDIO);
        assertEquals("pcrf-a.test.example", transport.hosts.get(1));
        transport.answer(1, 2001);
        rx.release("c1");
        assertEquals(RxMessages.SESSION_TERMINATION, transport.sent.get(2).commandCode());
        assertEquals("pcrf-a.test.example", transport.hosts.get(2));
        assertEquals(sessionOf(transport.sent.get(0)), sessionOf(transport.sent.get(2)));
        transport.answer(2, 2001);
        assertEquals(0, rx.sessions());
    }

    @Test
    void theInitialAarIsANewSessionsRequestAndTheUpdateAndStrThoseOfASessionInProgress() {
        PolicyAuthorization rx = authorization(QosMode.REQUIRED);
        authorise(rx);
        transport.answer(0, 2001);
        rx.modify("c1", AUDIO);
        transport.answer(1, 2001);
        rx.release("c1");
        assertEquals(List.of(Urgency.NEW_SESSION, Urgency.ONGOING, Urgency.ONGOING), transport.urgencies,
                "a slow PCRF refuses new calls before it refuses anything of the calls up");
    }

    @Test
    void noPcrfWithRoomForANewSessionRefusesARequiredCallWith503AndLetsABestEffortOneGoOn() {
        PolicyAuthorization required = authorization(QosMode.REQUIRED);
        CompletableFuture<QosDecision> refused = authorise(required).toCompletableFuture();
        transport.answers.get(0).completeExceptionally(new PeerException.Overloaded("3 of 4 in flight"));
        assertEquals(new QosDecision.Refused(503, "QoS required and the PCRF is saturated"), refused.join());
        assertEquals(0, required.sessions());
        PolicyAuthorization bestEffort = authorization(QosMode.BEST_EFFORT);
        CompletableFuture<QosDecision> proceeds = authorise(bestEffort).toCompletableFuture();
        transport.answers.get(1).completeExceptionally(new PeerException.Overloaded("3 of 4 in flight"));
        assertInstanceOf(QosDecision.Proceed.class, proceeds.join());
    }

    @Test
    void anUpdateWaitsForTheAnswerBeforeIt() {
        PolicyAuthorization rx = authorization(QosMode.REQUIRED);
        authorise(rx);
        rx.modify("c1", AUDIO);
        assertEquals(1, transport.sent.size(), "nothing overtakes the unanswered AAR");
        transport.answer(0, 2001);
        assertEquals(2, transport.sent.size());
        assertEquals(RxMessages.AA, transport.sent.get(1).commandCode());
    }

    @Test
    void aCallThatEndsBeforeTheAaaHasItsSessionEndedOnceItIsOpen() {
        PolicyAuthorization rx = authorization(QosMode.REQUIRED);
        authorise(rx);
        rx.release("c1");
        assertEquals(1, transport.sent.size());
        transport.answer(0, 2001);
        assertEquals(1, transport.count(RxMessages.SESSION_TERMINATION), "one STR");
        rx.release("c1");
        assertEquals(1, transport.count(RxMessages.SESSION_TERMINATION), "still one STR");
    }

    @Test
    void requiredQosWithAnUnreachablePcrfRefusesWith503() {
        PolicyAuthorization rx = authorization(QosMode.REQUIRED);
        CompletableFuture<QosDecision> decision = authorise(rx).toCompletableFuture();
        transport.answers.get(0).completeExceptionally(new java.net.ConnectException("no PCRF"));
        QosDecision.Refused refused = assertInstanceOf(QosDecision.Refused.class, decision.join());
        assertEquals(503, refused.status());
        rx.release("c1");
        assertEquals(0, transport.count(RxMessages.SESSION_TERMINATION), "no session was opened");
        assertEquals(0, rx.sessions());
    }

    @Test
    void anAarLeftUnansweredIsFollowedByAnStrInCaseThePcrfOpenedTheSessionLate() {
        PolicyAuthorization rx = authorization(QosMode.BEST_EFFORT);
        CompletableFuture<QosDecision> decision = authorise(rx).toCompletableFuture();
        transport.answers.get(0).completeExceptionally(
                new org.webims.gateway.diameter.peer.PeerException.Timeout("no answer within 1 s", "pcrf-2.test"));
        assertEquals(QosDecision.PROCEED, decision.join());
        assertEquals(1, transport.count(RxMessages.SESSION_TERMINATION), "an STR for the session the AAR named");
        assertEquals(sessionOf(transport.sent.get(0)), sessionOf(transport.sent.get(1)));
        assertEquals("over pcrf-2.test", transport.hosts.get(1),
                "over the connection the AAR left on, without Destination-Host (a relay routes it by Session-Id)");
        rx.release("c1");
        assertEquals(1, transport.count(RxMessages.SESSION_TERMINATION), "the call's end sends no second one");
        assertEquals(0, rx.sessions());
    }

    @Test
    void requiredQosRefusedByThePcrfIs488WithTheResult() {
        PolicyAuthorization rx = authorization(QosMode.REQUIRED);
        CompletableFuture<QosDecision> decision = authorise(rx).toCompletableFuture();
        DiameterMessage aar = transport.sent.get(0);
        transport.answers.get(0).complete(new DiameterMessage(RxMessages.AA, false, true, false, false,
                RxMessages.RX_APPLICATION, 0, 0, List.of(aar.first(AvpCode.SESSION_ID).orElseThrow(),
                        Avp.grouped(AvpCode.EXPERIMENTAL_RESULT, List.of(Avp.unsigned32(AvpCode.VENDOR_ID, 10415),
                                Avp.unsigned32(AvpCode.EXPERIMENTAL_RESULT_CODE, 5063))))));
        QosDecision.Refused refused = assertInstanceOf(QosDecision.Refused.class, decision.join());
        assertEquals(488, refused.status());
        assertTrue(refused.warning().contains("5063"), refused.warning());
    }

    @Test
    void bestEffortGoesOnWhateverThePcrfSays() {
        PolicyAuthorization rx = authorization(QosMode.BEST_EFFORT);
        CompletableFuture<QosDecision> decision = authorise(rx).toCompletableFuture();
        transport.answer(0, 5012);
        assertInstanceOf(QosDecision.Proceed.class, decision.join());
        rx.modify("c1", AUDIO);
        assertEquals(1, transport.sent.size(), "no session, no update");
    }

    @Test
    void anAbortSessionRequestReleasesTheCallAndItsEndSendsTheStr() {
        PolicyAuthorization rx = authorization(QosMode.REQUIRED);
        authorise(rx);
        transport.answer(0, 2001);
        String session = sessionOf(transport.sent.get(0));
        long result = rx.answer(serverRequest(RxMessages.ABORT_SESSION, session,
                List.of(Avp.integer32(AvpCode.ABORT_CAUSE, 0))));
        assertEquals(ResultCode.SUCCESS, result);
        assertEquals(1, released.size());
        assertTrue(released.get(0).contains("aborted"), released.toString());
        rx.release("c1"); // call control ends the call
        assertEquals(1, transport.count(RxMessages.SESSION_TERMINATION));
    }

    @Test
    void aReAuthRequestReleasesTheCallOnlyWhenTheBearerIsGone() {
        PolicyAuthorization rx = authorization(QosMode.REQUIRED);
        authorise(rx);
        transport.answer(0, 2001);
        String session = sessionOf(transport.sent.get(0));
        assertEquals(ResultCode.SUCCESS, rx.answer(serverRequest(RxMessages.RE_AUTH, session,
                List.of(Avp.integer32(AvpCode.SPECIFIC_ACTION, 1)))));
        assertTrue(released.isEmpty(), "charging correlation only: nothing to release");
        assertEquals(ResultCode.SUCCESS, rx.answer(serverRequest(RxMessages.RE_AUTH, session,
                List.of(Avp.integer32(AvpCode.SPECIFIC_ACTION, RxMessages.INDICATION_OF_LOSS_OF_BEARER)))));
        assertEquals(1, released.size());
    }

    @Test
    void requestsForUnknownSessionsAndOtherCommandsAreRefused() {
        PolicyAuthorization rx = authorization(QosMode.REQUIRED);
        assertEquals(ResultCode.UNKNOWN_SESSION_ID, rx.answer(serverRequest(RxMessages.ABORT_SESSION, "nope",
                List.of())));
        assertEquals(ResultCode.COMMAND_UNSUPPORTED, rx.answer(serverRequest(272, "nope", List.of())));
        assertTrue(released.isEmpty());
    }

    @Test
    void closeEndsEveryOpenSession() {
        PolicyAuthorization rx = authorization(QosMode.REQUIRED);
        authorise(rx);
        transport.answer(0, 2001);
        rx.close();
        assertEquals(1, transport.count(RxMessages.SESSION_TERMINATION));
    }
}

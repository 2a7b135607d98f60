package org.webims.gateway.ejb.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.CallEvent;
import org.webims.gateway.ports.call.CallFacts;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.ports.call.MediaStream;
import org.webims.gateway.ports.call.MessageFacts;
import org.webims.gateway.ports.call.Party;

class OfflineChargingTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private final List<AccountingRecord> records = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private Optional<String> backlog = Optional.empty();
    private final RecordSink sink = new RecordSink() {
        @Override
        public boolean offer(AccountingRecord record) {
            return records.add(record);
        }

        @Override
        public Optional<String> backlogged() {
            return backlog;
        }
    };

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    private OfflineCharging charging(Duration interim) {
        return new OfflineCharging(sink, new SessionIds("gw.test", 1), timers, interim, Clock.systemUTC());
    }

    private static CallFacts call(String id) {
        return new CallFacts(id, CallDirection.ORIGINATING, "sip:alice@ims.test", "tel:+15550100", "shop", T0,
                "icid-" + id);
    }

    private static final List<MediaStream> AUDIO = List.of(new MediaStream("audio", List.of("opus"), true));
    private static final List<MediaStream> PCMU = List.of(new MediaStream("audio", List.of("PCMU"), true));

    @Test
    void anAnsweredCallIsStartInterimOnMediaChangeAndStopInOneSession() {
        OfflineCharging charging = charging(Duration.ofMinutes(5));
        charging.onCallEvent(new CallEvent.Attempted(call("c1"), T0));
        assertTrue(records.isEmpty(), "nothing before the answer");
        charging.onCallEvent(new CallEvent.Answered(call("c1"), T0.plusSeconds(2), AUDIO, PCMU));
        charging.onCallEvent(new CallEvent.MediaChanged(call("c1"), T0.plusSeconds(5), AUDIO, PCMU));
        charging.onCallEvent(new CallEvent.Ended(call("c1"), T0.plusSeconds(9), CallEnd.bye(Party.IMS), true));

        assertEquals(List.of(AccountingRecordType.START, AccountingRecordType.INTERIM, AccountingRecordType.STOP),
                records.stream().map(AccountingRecord::type).toList());
        assertEquals(List.of(0, 1, 2), records.stream().map(AccountingRecord::number).toList());
        assertEquals(1, records.stream().map(AccountingRecord::sessionId).distinct().count());
        AccountingRecord start = records.get(0);
        assertEquals(300, start.interimSeconds(), "Acct-Interim-Interval announced in the START");
        assertEquals("icid-c1", start.icid());
        assertEquals(T0.plusSeconds(2), start.answeredAt());
        assertEquals(PCMU, start.ims());
        AccountingRecord stop = records.get(2);
        assertEquals(CauseCode.NORMAL_END, stop.causeCode());
        assertEquals(0, stop.interimSeconds());
        assertEquals(0, charging.openSessions());
    }

    @Test
    void aFailedAttemptIsOneEventWithTheSipStatus() {
        OfflineCharging charging = charging(Duration.ofMinutes(5));
        charging.onCallEvent(new CallEvent.Attempted(call("c2"), T0));
        charging.onCallEvent(new CallEvent.Ended(call("c2"), T0.plusSeconds(1),
                CallEnd.refused(Party.IMS, 486, "busy"), false));
        assertEquals(1, records.size());
        AccountingRecord event = records.get(0);
        assertEquals(AccountingRecordType.EVENT, event.type());
        assertEquals(486, event.causeCode());
        assertNull(event.answeredAt());
    }

    @Test
    void aCancelBeforeTheAnswerIsAnEventWith487() {
        OfflineCharging charging = charging(Duration.ofMinutes(5));
        charging.onCallEvent(new CallEvent.Ended(call("c3"), T0, CallEnd.cancel(Party.WEBRTC), false));
        assertEquals(487, records.get(0).causeCode());
    }

    @Test
    void interimRecordsComeEveryIntervalUntilTheStop() throws Exception {
        OfflineCharging charging = charging(Duration.ofMillis(100));
        charging.onCallEvent(new CallEvent.Answered(call("c4"), T0, AUDIO, AUDIO));
        Thread.sleep(450);
        charging.onCallEvent(new CallEvent.Ended(call("c4"), T0.plusSeconds(1), CallEnd.bye(Party.WEBRTC), true));
        int afterStop = records.size();
        Thread.sleep(250);
        assertEquals(afterStop, records.size(), "no INTERIM after the STOP");
        long interims = records.stream().filter(r -> r.type() == AccountingRecordType.INTERIM).count();
        assertTrue(interims >= 3 && interims <= 5, "about one per 100 ms: " + interims);
        assertEquals(AccountingRecordType.STOP, records.get(records.size() - 1).type());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i, records.get(i).number(), "numbered in order");
        }
    }

    @Test
    void aMessageIsAnEventOfItsOwnSession() {
        OfflineCharging charging = charging(Duration.ofMinutes(5));
        charging.onMessage(new MessageFacts(CallDirection.ORIGINATING, "sip:alice@ims.test", "sip:bob@ims.test", null,
                "icid-m", T0, T0.plusMillis(30), 200));
        charging.onMessage(new MessageFacts(CallDirection.ORIGINATING, "sip:alice@ims.test", "sip:bob@ims.test", null,
                "icid-n", T0, T0.plusMillis(30), 404));
        assertEquals("MESSAGE", records.get(0).method());
        assertEquals(CauseCode.SUCCESSFUL_TRANSACTION, records.get(0).causeCode());
        assertEquals(404, records.get(1).causeCode());
        assertNotEquals(records.get(0).sessionId(), records.get(1).sessionId());
    }

    @Test
    void newCallsAreRefusedWhileTheSinkIsBacklogged() {
        OfflineCharging charging = charging(Duration.ofMinutes(5));
        assertEquals(Optional.empty(), charging.refusesNewCalls());
        backlog = Optional.of("behind");
        assertEquals(Optional.of("behind"), charging.refusesNewCalls());
    }

    @Test
    void causeCodesFollowTs32299() {
        assertEquals(0, CauseCode.of(CallEnd.bye(Party.IMS), true));
        assertEquals(CauseCode.UNSUCCESSFUL_SESSION_SETUP, CauseCode.of(new CallEnd(EndCause.TIMEOUT, Party.IMS, 0,
                "no answer"), false));
        assertEquals(408, CauseCode.of(new CallEnd(EndCause.TIMEOUT, Party.IMS, 408, "no answer"), false));
        assertEquals(CauseCode.INTERNAL_ERROR, CauseCode.of(new CallEnd(EndCause.MEDIA_FAILURE, Party.GATEWAY, 0,
                "rtpengine"), true));
        assertEquals(CauseCode.UNSPECIFIED_ERROR, CauseCode.of(new CallEnd(EndCause.FLOW_CLOSED, Party.WEBRTC, 0,
                "closed"), true));
    }

    @Test
    void theGatewaysStopEndsEveryOpenAccountingSessionWithAStop() {
        OfflineCharging charging = charging(Duration.ofMinutes(5));
        charging.onCallEvent(new CallEvent.Answered(call("c1"), T0, AUDIO, PCMU));
        charging.onCallEvent(new CallEvent.Answered(call("c2"), T0, AUDIO, PCMU));
        charging.close();
        assertEquals(List.of(AccountingRecordType.START, AccountingRecordType.START, AccountingRecordType.STOP,
                AccountingRecordType.STOP), records.stream().map(AccountingRecord::type).toList());
        assertEquals(CauseCode.UNSPECIFIED_ERROR, records.get(3).causeCode());
        assertEquals(0, charging.openSessions());
        charging.onCallEvent(new CallEvent.Ended(call("c1"), T0.plusSeconds(9), CallEnd.bye(Party.IMS), true));
        assertEquals(4, records.size(), "no second STOP, no EVENT");
    }
}

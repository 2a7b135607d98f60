package org.webims.gateway.diameter.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.peer.Watchdog.Action;
import org.webims.gateway.diameter.peer.Watchdog.State;

/** RFC 3539 §3.4.1's watchdog, event by event. */
class WatchdogTest {
    private final Watchdog watchdog = new Watchdog();

    @Test
    void anIdleConnectionIsProbedAndAnAnswerKeepsItUp() {
        assertEquals(Action.NONE, watchdog.opened());
        assertTrue(watchdog.carriesTraffic());
        assertEquals(Action.SEND_DWR, watchdog.timerExpired(), "idle for Tw: a DWR");
        assertEquals(Action.NONE, watchdog.received(true));
        assertEquals(Action.SEND_DWR, watchdog.timerExpired(), "answered: the next Tw sends another");
        assertEquals(State.OKAY, watchdog.state());
    }

    @Test
    void anUnansweredProbeFailsOverThenCloses() {
        watchdog.opened();
        watchdog.timerExpired();
        assertEquals(Action.FAIL_OVER, watchdog.timerExpired(), "no DWA within Tw: SUSPECT, pending requests move");
        assertEquals(State.SUSPECT, watchdog.state());
        assertFalse(watchdog.carriesTraffic());
        assertEquals(Action.CLOSE, watchdog.timerExpired(), "still nothing: DOWN");
        assertEquals(State.DOWN, watchdog.state());
    }

    @Test
    void anyMessageBringsASuspectPeerBack() {
        watchdog.opened();
        watchdog.timerExpired();
        watchdog.timerExpired();
        watchdog.received(false);
        assertEquals(State.OKAY, watchdog.state());
    }

    @Test
    void aReopenedConnectionCarriesTrafficOnlyAfterThreeWatchdogAnswers() {
        watchdog.opened();
        assertEquals(Action.FAIL_OVER, watchdog.closed());
        assertEquals(Action.SEND_DWR, watchdog.opened(), "REOPEN: a DWR at once");
        for (int i = 1; i < Watchdog.REOPEN_ANSWERS; i++) {
            watchdog.received(true);
            assertFalse(watchdog.carriesTraffic(), "after " + i + " DWA");
            assertEquals(Action.SEND_DWR, watchdog.timerExpired());
        }
        watchdog.received(false);
        assertFalse(watchdog.carriesTraffic(), "other messages do not count in REOPEN");
        watchdog.received(true);
        assertTrue(watchdog.carriesTraffic());
    }

    @Test
    void inReopenOneMissedAnswerIsForgivenTwoClose() {
        watchdog.opened();
        watchdog.closed();
        watchdog.opened();
        assertEquals(Action.NONE, watchdog.timerExpired(), "the first miss");
        assertEquals(Action.CLOSE, watchdog.timerExpired(), "the second");
        assertEquals(State.DOWN, watchdog.state());
    }

    @Test
    void aConnectionLostBeforeItCarriedTrafficHasNothingToFailOver() {
        assertEquals(Action.NONE, watchdog.closed());
    }
}

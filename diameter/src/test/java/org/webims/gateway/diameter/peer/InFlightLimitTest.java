package org.webims.gateway.diameter.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bound in flight of one peer: new sessions stop at three quarters, sessions in progress at the whole. */
class InFlightLimitTest {

    @Test
    void newSessionsAreRefusedFirstAndTheLastQuarterIsForSessionsInProgress() {
        InFlightLimit limit = new InFlightLimit(8);
        for (int i = 0; i < 6; i++) {
            assertTrue(limit.take(Urgency.NEW_SESSION), "new session " + i);
        }
        assertFalse(limit.take(Urgency.NEW_SESSION), "6 of 8 is all a new session may take");
        assertFalse(limit.hasRoomFor(Urgency.NEW_SESSION));
        assertTrue(limit.hasRoomFor(Urgency.ONGOING));
        assertTrue(limit.take(Urgency.ONGOING));
        assertTrue(limit.take(Urgency.ONGOING));
        assertFalse(limit.take(Urgency.ONGOING), "never more than the bound");
        assertEquals(8, limit.inFlight(), "a refusal takes nothing");
    }

    @Test
    void sessionsInProgressMayFillTheBoundAndThenNoNewSessionIsTaken() {
        InFlightLimit limit = new InFlightLimit(4);
        for (int i = 0; i < 3; i++) {
            assertTrue(limit.take(Urgency.ONGOING));
        }
        assertFalse(limit.take(Urgency.NEW_SESSION), "3 in flight: the new session's room is used");
        assertTrue(limit.take(Urgency.ONGOING));
        limit.give();
        limit.give();
        assertTrue(limit.take(Urgency.NEW_SESSION), "an answer frees a slot");
    }

    @Test
    void belowFourNothingIsKeptBack() {
        InFlightLimit limit = new InFlightLimit(2);
        assertTrue(limit.take(Urgency.NEW_SESSION));
        assertTrue(limit.take(Urgency.NEW_SESSION));
        assertFalse(limit.take(Urgency.ONGOING));
    }
}

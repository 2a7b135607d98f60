package org.webims.gateway.ejb.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.call.EndCause;

class TerminationCauseTest {

    @Test
    void eachEndOfACallReadsAsRfc6733Says() {
        assertEquals(TerminationCause.LOGOUT, TerminationCause.of(EndCause.BYE));
        assertEquals(TerminationCause.LINK_BROKEN, TerminationCause.of(EndCause.FLOW_CLOSED));
        assertEquals(TerminationCause.LINK_BROKEN, TerminationCause.of(EndCause.BEARER_LOST));
        assertEquals(TerminationCause.AUTH_EXPIRED, TerminationCause.of(EndCause.CREDIT_LIMIT));
        assertEquals(TerminationCause.SESSION_TIMEOUT, TerminationCause.of(EndCause.REFRESH_FAILED));
        assertEquals(TerminationCause.ADMINISTRATIVE, TerminationCause.of(EndCause.POLICY_LIMIT));
        assertEquals(5, TerminationCause.LINK_BROKEN.code);
        assertEquals(8, TerminationCause.SESSION_TIMEOUT.code);
    }
}

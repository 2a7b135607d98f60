package org.webims.gateway.sip.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a reliable 18x waits for its PRACK before the INVITE gets 504 (RFC 3262 §3). */
class PrackTimeoutTest {
    @Test
    void waitsSixtyFourT1() {
        assertEquals(Duration.ofMillis(3200), PrackTimeout.waitFor(Duration.ofMillis(50)));
        assertEquals(Duration.ofSeconds(32), PrackTimeout.waitFor(Duration.ofMillis(500)));
    }

    @Test
    void neverPastTheStacksOwnGiveUpWhenT1IsLonger() {
        // JAIN-SIP ends the transaction 34 s after the 18x whatever T1 is: a 5xx after that could not go
        assertEquals(Duration.ofSeconds(32), PrackTimeout.waitFor(Duration.ofSeconds(2)));
    }
}

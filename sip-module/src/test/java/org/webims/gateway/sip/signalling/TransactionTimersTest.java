package org.webims.gateway.sip.signalling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransactionTimersTest {

    private static TransactionTimers of(long t1, long t4) {
        return TransactionTimers.of(Duration.ofMillis(t1), Duration.ofMillis(t4));
    }

    @Test
    void theDefaultsAreRfc3261s() {
        assertEquals(new TransactionTimers(500, 4000, 5000, 32_000), of(500, 5000));
    }

    @Test
    void aShorterT1LeavesT2AndTimerDWhereTheRfcPutsThem() {
        assertEquals(new TransactionTimers(250, 4000, 1000, 32_000), of(250, 1000));
        assertEquals(new TransactionTimers(100, 4000, 1000, 32_000), of(100, 1000));
    }

    @Test
    void ticksThatDoNotDivideAreRoundedUpNeverDown() {
        TransactionTimers timers = of(300, 1000);
        assertEquals(4200, timers.t2Millis(), "14 ticks, not 13 (3.9 s)");
        assertEquals(1200, timers.t4Millis());
        assertEquals(32_100, timers.timerDMillis(), "107 ticks, not 106 (31.8 s)");
    }

    @Test
    void everyTimerIsAtLeastOneTick() {
        assertEquals(new TransactionTimers(5000, 5000, 5000, 35_000), of(5000, 0));
    }
}

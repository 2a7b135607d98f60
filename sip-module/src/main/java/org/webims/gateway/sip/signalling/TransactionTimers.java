package org.webims.gateway.sip.signalling;

import java.time.Duration;

/**
 * RFC 3261 Table 4's timers for a client transaction whose T1 is not the default. JAIN-SIP counts every timer in
 * ticks of T1 and fixes the tick counts when the transaction is made (T2 8 ticks, T4 10, Timer D 64, for T1 = 500 ms),
 * so changing T1 alone would scale them all: with T1 = 250 ms, Timer D would be 16 s, under the 32 s RFC 3261
 * §17.1.1.2 asks of it over UDP. Here each is a whole number of ticks, rounded up so that none comes out shorter.
 *
 * @param t1Millis     the tick (RFC 3261 §17.1.1.1)
 * @param t2Millis     the cap of non-INVITE retransmission intervals: 4 s (§17.1.2.2), at least one tick
 * @param t4Millis     how long a non-INVITE client transaction lingers for retransmitted answers (Timer K): at least
 *                     one tick, or it would end before its response was passed up
 * @param timerDMillis how long an INVITE client transaction absorbs retransmitted final responses: at least 32 s
 */
public record TransactionTimers(int t1Millis, int t2Millis, int t4Millis, int timerDMillis) {
    static final int T2_MILLIS = 4000;
    static final int MIN_TIMER_D_MILLIS = 32_000;

    public static TransactionTimers of(Duration t1, Duration t4) {
        int tick = (int) Math.max(1, t1.toMillis());
        return new TransactionTimers(tick, wholeTicks(T2_MILLIS, tick), wholeTicks(t4.toMillis(), tick),
                wholeTicks(MIN_TIMER_D_MILLIS, tick));
    }

    /** The least whole number of ticks, at least one, that lasts {@code millis}, in milliseconds. */
    private static int wholeTicks(long millis, int tick) {
        return (int) (Math.max(1, (millis + tick - 1) / tick) * tick);
    }
}

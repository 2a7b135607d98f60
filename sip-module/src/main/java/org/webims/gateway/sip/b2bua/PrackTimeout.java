package org.webims.gateway.sip.b2bua;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sip.ServerTransaction;
import javax.sip.TransactionState;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * RFC 3262 §3: a reliable 18x retransmitted for 64*T1 without its PRACK: the caller's INVITE is rejected with a 5xx
 * (504, as sofia-sip names it: "Reliable Response Time-Out") and the call ends, its called leg with CANCEL or BYE.
 * Armed at each reliable 18x sent to a calling leg, cancelled by its PRACK or by the INVITE's final answer.
 *
 * <p>JAIN-SIP gives up on the 18x by itself 68 of its fixed 500 ms ticks after sending it (34 s) and then ends the
 * INVITE transaction, after which no response can go; the wait here is 64*T1, at most 32 s, so that the 5xx leaves
 * first. {@code B2bua.onServerTimeout} still ends a call whose transaction the stack ended anyway.
 */
final class PrackTimeout {
    static final int STATUS = 504;
    static final String REASON_PHRASE = "Reliable Response Time-Out";
    /** Below the stack's own give-up (68 ticks of 500 ms): the 5xx must leave while the transaction lives. */
    static final Duration LONGEST = Duration.ofSeconds(32);
    private static final Logger LOG = Logger.getLogger(PrackTimeout.class.getName());

    private final SipContext sip;
    private final ScheduledExecutorService timers;
    private final KeyedSerialExecutor work;
    private final Teardown teardown;
    private final Duration wait;

    /** @param t1 the transactions' T1 (RFC 3261 §17.1.1.1): the wait is 64 of it, at most {@link #LONGEST} */
    PrackTimeout(SipContext sip, ScheduledExecutorService timers, KeyedSerialExecutor work, Teardown teardown,
            Duration t1) {
        this.sip = sip;
        this.timers = timers;
        this.work = work;
        this.teardown = teardown;
        this.wait = waitFor(t1);
    }

    /** 64*T1 (RFC 3262 §3), at most {@link #LONGEST}. */
    static Duration waitFor(Duration t1) {
        Duration rfc = t1.multipliedBy(64);
        return rfc.compareTo(LONGEST) < 0 ? rfc : LONGEST;
    }

    /** A reliable 18x just went to {@code calling}: its PRACK is awaited from now on (one at a time, RFC 3262 §3). */
    void arm(Call call, Leg calling) {
        calling.cancelPrackTimeout();
        ServerTransaction invite = calling.inviteServer;
        Object arming = new Object(); // this 18x's wait: a later 18x's, or none once PRACKed, is another
        calling.prackWait = arming;
        calling.prackTimeout = timers.schedule(() -> work.execute(call.key, () -> expire(call, calling, invite,
                arming)), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * On the call's queue, so after {@link #arm} returned: a timer that fired just before the PRACK cancelled it has
     * queued this all the same, and a later 18x may be awaited by then; only the wait still armed counts.
     */
    private void expire(Call call, Leg leg, ServerTransaction invite, Object arming) {
        if (!call.isLive() || leg.prackWait != arming || invite == null || leg.inviteServer != invite) {
            return; // PRACKed, answered, ended, or another 18x awaited meanwhile
        }
        String why = "no PRACK from the " + leg.side + " side for the reliable provisional response within "
                + wait.toMillis() + " ms";
        LOG.info(() -> "Releasing " + call + ": " + why);
        // the stack ends the transaction by itself some 2 s after this wait: a queue that lagged that long finds it
        // ended, and the call ends without the 5xx, as B2bua.onServerTimeout would have ended it
        boolean told = invite.getState() != TransactionState.TERMINATED;
        if (told) {
            sip.respondWithWarning(invite, STATUS, REASON_PHRASE, why, leg.localTag); // the 18x's early dialog
        }
        leg.answered();
        teardown.abandon(call, new CallEnd(EndCause.TIMEOUT, Teardown.party(leg), told ? STATUS : 0, why),
                teardown.reason(javax.sip.message.Response.REQUEST_TIMEOUT, why));
    }
}

package org.webims.gateway.sip.b2bua;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.ports.call.Party;
import org.webims.gateway.ports.policy.Limit;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;

/**
 * The longest call the policy allows (TS 22.228 §11.2: services limited by subscription and operator policy): from
 * the answer, then the call is released on both legs with BYE and a Reason (RFC 3326) saying why.
 */
final class CallDurationLimit {
    private static final Logger LOG = Logger.getLogger(CallDurationLimit.class.getName());
    /** RFC 3326 with a SIP cause: 403, the policy forbids the call going on. */
    private static final int REASON_CAUSE = 403;
    private final ScheduledExecutorService timers;
    private final KeyedSerialExecutor work;
    private final Teardown teardown;

    CallDurationLimit(ScheduledExecutorService timers, KeyedSerialExecutor work, Teardown teardown) {
        this.timers = timers;
        this.work = work;
        this.teardown = teardown;
    }

    /** Arms the limit of an answered call, when its policy sets one. */
    void start(Call call) {
        Limit limit = call.policy() == null ? null : call.policy().maxCallSeconds();
        if (limit == null) {
            return;
        }
        String why = "longest call of " + limit.value() + " s reached (set by " + limit.source().describe() + ")";
        call.durationLimit = timers.schedule(() -> work.execute(call.key, () -> {
            if (call.isLive()) {
                LOG.info(() -> "Releasing " + call + ": " + why);
                teardown.abandon(call, new CallEnd(EndCause.POLICY_LIMIT, Party.GATEWAY, 0, why),
                        teardown.reason(REASON_CAUSE, why));
            }
        }), limit.value(), TimeUnit.SECONDS);
    }
}

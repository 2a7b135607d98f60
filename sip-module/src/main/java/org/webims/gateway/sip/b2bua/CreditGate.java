package org.webims.gateway.sip.b2bua;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.ports.call.Party;
import org.webims.gateway.ports.charging.CallRelease;
import org.webims.gateway.ports.charging.CreditControl;
import org.webims.gateway.ports.charging.CreditDecision;
import org.webims.gateway.sip.admission.Verdict;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;

/**
 * Online charging before a call is set up (RFC 4006 §5.1, TS 32.260 §5.3: the P-CSCF asks before the session is
 * established): the call waits for the OCS's answer without holding any thread, then goes on, on its own queue, or is
 * refused with the status the answer implies (402, 403, 503) and its Warning; nothing has reached the other side. A
 * call online charging stops later is released on both legs with BYE and a Reason.
 */
final class CreditGate {
    private static final Logger LOG = Logger.getLogger(CreditGate.class.getName());
    /** RFC 3326 with a SIP cause: 402, the call is not paid for any longer. */
    private static final int REASON_CAUSE = 402;
    private final CreditControl credit;
    private final KeyedSerialExecutor work;
    private final Teardown teardown;
    private final Announcer announcement;

    CreditGate(CreditControl credit, KeyedSerialExecutor work, Teardown teardown, Announcer announcement) {
        this.announcement = announcement;
        this.credit = credit;
        this.work = work;
        this.teardown = teardown;
    }

    /** Asks for the call's credit, then runs {@code next} on its queue if granted and the call is still on. */
    void then(Call call, Runnable next) {
        credit.reserve(call.facts(), release(call)).whenComplete((decision, error) -> work.execute(call.key, () -> {
            if (!call.isLive()) {
                return; // cancelled meanwhile: its end reached online charging as a call event
            }
            if (error != null) {
                LOG.log(Level.WARNING, "Online charging failed on " + call, error);
                teardown.refuse(call, new Verdict.Refuse(503, null, "online charging failed"));
            } else if (decision instanceof CreditDecision.Refused refused) {
                LOG.info(() -> call + " refused by online charging: " + refused.status() + " " + refused.warning());
                teardown.refuse(call, new Verdict.Refuse(refused.status(), null, refused.warning()));
            } else {
                next.run();
            }
        }));
    }

    private CallRelease release(Call call) {
        return new CallRelease() {
            @Override
            public void release(String why) {
                work.execute(call.key, () -> {
                    if (call.isLive()) {
                        LOG.info(() -> "Releasing " + call + ": " + why);
                        teardown.abandon(call, new CallEnd(EndCause.CREDIT_LIMIT, Party.GATEWAY, 0, why),
                                teardown.reason(REASON_CAUSE, why));
                    }
                });
            }

            @Override
            public void warnFinalUnits(java.time.Duration left) {
                work.execute(call.key, () -> announcement.warnFinalUnits(call, left));
            }
        };
    }
}

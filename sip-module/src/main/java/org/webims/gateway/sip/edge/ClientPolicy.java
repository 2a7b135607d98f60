package org.webims.gateway.sip.edge;

import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ServerTransaction;
import javax.sip.message.Response;
import org.webims.gateway.ports.policy.CallPolicy;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Impus;
import org.webims.gateway.ports.policy.Limit;
import org.webims.gateway.ports.policy.Service;
import org.webims.gateway.sip.flow.ClientSubject;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.flow.FlowTable;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * Service policy at the edge proxy (TS 22.228 §11.2): a REGISTER of a barred subscriber or beyond its provider's
 * registrations, and a MESSAGE (RFC 3428) either way when messaging is not allowed, get 403 with a Warning naming the
 * layer, and nothing reaches the core or the client. The policy is asked without waiting; the request continues on
 * its queue once it answered.
 */
final class ClientPolicy {
    private static final Logger LOG = Logger.getLogger(ClientPolicy.class.getName());
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);

    private final SipContext sip;
    private final CallPolicy policy;
    private final FlowTable flows;
    private final RegistrationStore registrations;
    private final KeyedSerialExecutor work;

    ClientPolicy(SipContext sip, CallPolicy policy, FlowTable flows, RegistrationStore registrations,
            KeyedSerialExecutor work) {
        this.sip = sip;
        this.policy = policy;
        this.flows = flows;
        this.registrations = registrations;
        this.work = work;
    }

    /**
     * A REGISTER (not a de-registration, never refused) of {@code impu} over {@code flow}: barred subscribers and
     * registrations over the provider's limit refused; else {@code admitted} runs on the request's queue.
     */
    void register(ServerTransaction st, String key, String impu, Flow flow, Runnable admitted) {
        ask(st, key, impu, flow, "REGISTER", effective -> {
            if (effective.barred() != null) {
                refuse(st, "Forbidden (barred)", "subscriber barred by " + effective.barred().describe(), impu);
                return;
            }
            if (!providerAdmits(flow, effective)) {
                refuse(st, "Forbidden (too many registrations)", "registration limit of provider "
                        + effective.provider() + " reached", impu);
                return;
            }
            admitted.run();
        });
    }

    /** A MESSAGE from or to {@code impu}'s client: refused when its policy does not allow messaging. */
    void message(ServerTransaction st, String key, String impu, Flow flow, Runnable admitted) {
        ask(st, key, impu, flow, "MESSAGE", effective -> {
            if (effective.barred() != null) {
                refuse(st, "Forbidden (barred)", "subscriber barred by " + effective.barred().describe(), impu);
                return;
            }
            if (!effective.allows(Service.MESSAGING)) {
                refuse(st, null, "messaging not allowed by " + effective.deniedBy(Service.MESSAGING).orElseThrow()
                        .describe(), impu);
                return;
            }
            admitted.run();
        });
    }

    private void ask(ServerTransaction st, String key, String impu, Flow flow, String what,
            Consumer<EffectivePolicy> then) {
        policy.policyFor(ClientSubject.of(impu, flow)).whenComplete((effective, error) -> work.execute(key, () -> {
            if (error != null) {
                LOG.log(Level.WARNING, "No policy for the " + what + " of " + impu + ": refused", error);
                sip.respondWithWarning(st, Response.SERVER_INTERNAL_ERROR, null, "policy unavailable");
                return;
            }
            try {
                then.accept(effective);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Failed to continue the " + what + " of " + impu, e);
                sip.respond(st, Response.SERVER_INTERNAL_ERROR, null);
            }
        }));
    }

    /**
     * The provider's registrations stay within its limit: a flow holds a place of its provider while a REGISTER of it
     * is on its way to the core ({@link Flow#registerPending}) or it holds a registration, so that REGISTERs handled
     * at the same moment cannot pass together, and a place is free again as soon as neither is true (refused,
     * expired, de-registered, closed): nothing to release by hand.
     */
    private synchronized boolean providerAdmits(Flow flow, EffectivePolicy effective) {
        String provider = effective.provider();
        Limit limit = effective.providerMaxRegistrations();
        if (provider != null && limit != null) {
            long others = flows.sessions().stream().map(s -> s.flow())
                    .filter(f -> f != flow && provider.equals(f.provider())
                            && (f.registerPending() || registrations.forFlow(f.id()).isPresent()))
                    .count();
            if (others >= limit.value()) {
                return false;
            }
        }
        flow.provider(provider);
        flow.registerSent(); // before the policy lock is left: the next REGISTER counts this one
        return true;
    }

    private void refuse(ServerTransaction st, String reason, String warning, String impu) {
        REFUSALS.info(warning, () -> "Request of " + Impus.normalise(impu) + " refused: " + warning);
        sip.respondWithWarning(st, Response.FORBIDDEN, reason, warning);
    }
}

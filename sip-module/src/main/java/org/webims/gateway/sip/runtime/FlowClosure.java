package org.webims.gateway.sip.runtime;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.webims.gateway.ports.identity.AccessTokens;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.registration.RegistrationStore;

/**
 * What a closed WebSocket flow leaves behind (RFC 5626 §5.3): its bindings are removed, its calls end, and a guest's
 * identity is de-registered at the core and goes back to its pool. The close is seen on a WebSocket I/O thread or a
 * timer; the work (the store's lock, a log line per binding, the calls' teardown, a de-REGISTER that may open a TCP
 * connection to the core) runs on a SIP worker, and on the closing thread only when the workers' queue is full:
 * nothing of a closed flow is left behind.
 */
final class FlowClosure implements Consumer<Flow> {
    private static final Logger LOG = Logger.getLogger(FlowClosure.class.getName());

    private final RegistrationStore registrations;
    private final Consumer<Flow> endCalls;
    private final BiConsumer<Binding, Flow.TokenIdentity> deregisterGuest;
    private final AccessTokens tokens;
    private final Executor workers;

    /**
     * @param endCalls        ends the calls over a flow ({@code B2bua.flowClosed})
     * @param deregisterGuest de-registers a guest's binding at the core ({@code GuestDeregistration})
     * @param workers         the SIP workers without a key; a task they refuse is not run by them
     */
    FlowClosure(RegistrationStore registrations, Consumer<Flow> endCalls,
            BiConsumer<Binding, Flow.TokenIdentity> deregisterGuest, AccessTokens tokens, Executor workers) {
        this.registrations = registrations;
        this.endCalls = endCalls;
        this.deregisterGuest = deregisterGuest;
        this.tokens = tokens;
        this.workers = workers;
    }

    @Override
    public void accept(Flow flow) {
        try {
            workers.execute(() -> release(flow, true));
        } catch (RejectedExecutionException full) {
            release(flow, false);
        }
    }

    private void release(Flow flow, boolean onWorker) {
        List<Binding> removed = registrations.removeFlow(flow.id());
        removed.forEach(b -> SipRuntime.logRemoved(b, "its flow closed"));
        endCalls.accept(flow);
        flow.authorised().filter(Flow.TokenIdentity::guest).ifPresent(guest -> {
            if (onWorker) {
                removed.forEach(b -> deregisterGuest.accept(b, guest)); // nothing left at the core
            } else {
                // no worker to send it: the identity goes back to its pool even so; the core's binding expires
                LOG.warning(() -> "SIP workers' queue full: the guest " + guest.impu()
                        + " is released without a de-REGISTER; its binding at the core expires");
            }
            tokens.released(guest.provider(), guest.impu());
        });
    }
}

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
 * connection to the core) runs on a SIP worker, and on the closing thread only when the workers refuse it (their
 * queue is full, or they have stopped): nothing of a closed flow is left behind. A guest's identity goes back to its
 * pool even when something before it fails. Each clean-up takes a place in the workers' queue like any work, so a
 * mass disconnect counts in the gateway's own overload signal ({@code WorkQueueDelay}) while it is being cleaned up.
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
            workers.execute(() -> release(flow, null));
        } catch (RejectedExecutionException refused) { // queue full, or the pool stopped
            release(flow, refused.getMessage());
        }
    }

    /** @param noWorker why no worker runs this (null on a worker) */
    private void release(Flow flow, String noWorker) {
        List<Binding> removed = List.of();
        try {
            removed = registrations.removeFlow(flow.id());
            removed.forEach(b -> SipRuntime.logRemoved(b, "its flow closed"));
            endCalls.accept(flow);
        } finally {
            // whatever failed above, a guest's identity goes back to its pool
            List<Binding> gone = removed;
            flow.authorised().filter(Flow.TokenIdentity::guest).ifPresent(guest -> {
                try {
                    if (noWorker == null) {
                        gone.forEach(b -> deregisterGuest.accept(b, guest)); // nothing left at the core
                    } else {
                        LOG.warning(() -> "No SIP worker for the closed flow of guest " + guest.impu() + " ("
                                + noWorker + "): released without a de-REGISTER; its binding at the core expires");
                    }
                } finally {
                    tokens.released(guest.provider(), guest.impu());
                }
            });
        }
    }
}

package org.webims.gateway.sip.flow;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Closes connections that have not registered within a time after they opened, so that idle connections cannot
 * hold the gateway's memory and file descriptors (RFC 7118 §5: a client uses its WebSocket to register). Run
 * periodically; a flow seen registered once is never checked again.
 */
public final class RegistrationDeadline implements Runnable {
    private static final Logger LOG = Logger.getLogger(RegistrationDeadline.class.getName());
    /** RFC 6455 §7.4.1: 1008 policy violation. */
    static final int POLICY_VIOLATION = 1008;

    private final FlowTable flows;
    private final Predicate<FlowId> registered;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param registered whether a flow carries a registration now
     * @param timeout how long after opening a flow must have registered
     */
    public RegistrationDeadline(FlowTable flows, Predicate<FlowId> registered, Duration timeout, Clock clock) {
        this.flows = flows;
        this.registered = registered;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void run() {
        for (FlowSession session : flows.sessions()) {
            Flow flow = session.flow();
            if (flow.hasRegistered()) {
                continue;
            }
            if (registered.test(flow.id())) {
                flow.markRegistered();
            } else if (flow.age(clock.instant()).compareTo(timeout) >= 0) {
                String reason = "not registered within " + timeout.toSeconds() + " s";
                LOG.fine(() -> "Closing " + flow.describe() + ": " + reason);
                flow.connection().close(POLICY_VIOLATION, reason);
                session.onClose(reason);
            }
        }
    }
}

package org.webims.gateway.sip.flow;

import java.time.Clock;
import java.time.Duration;

/**
 * Finds dead WebSocket connections (RFC 7118 §6, RFC 5626 §4.4): every period each flow is pinged, and a flow from
 * which nothing (no frame, no pong) has come for two periods is closed, which removes its registrations.
 */
public final class KeepaliveSupervisor implements Runnable {
    /** RFC 6455 §7.4.1: 1001 "going away". */
    static final int GOING_AWAY = 1001;

    private final FlowTable flows;
    private final Duration period;
    private final Clock clock;

    public KeepaliveSupervisor(FlowTable flows, Duration period, Clock clock) {
        this.flows = flows;
        this.period = period;
        this.clock = clock;
    }

    @Override
    public void run() {
        Duration limit = period.multipliedBy(2);
        for (FlowSession session : flows.sessions()) {
            Flow flow = session.flow();
            if (flow.silentFor(clock.instant()).compareTo(limit) > 0) {
                flow.connection().close(GOING_AWAY, "keepalive timeout");
                session.onClose("no frame or pong for " + limit.toSeconds() + " s");
            } else if (flow.connection().isOpen()) {
                flow.connection().ping();
            }
        }
    }
}

package org.webims.gateway.sip.flow;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** The live flows of this gateway and their sessions, by flow id. Thread-safe. */
public final class FlowTable {
    private final Map<FlowId, FlowSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Clock clock;

    public FlowTable(Clock clock) {
        this.clock = clock;
    }

    /** Opens a flow for a new connection and keeps the session the transport builds for it. */
    public FlowSession open(WebSocketConnection connection, Function<Flow, FlowSession> newSession) {
        Flow flow = new Flow(new FlowId(nextId.getAndIncrement()), connection, clock.instant());
        FlowSession session = newSession.apply(flow);
        sessions.put(flow.id(), session);
        return session;
    }

    public Optional<Flow> get(FlowId id) {
        return Optional.ofNullable(sessions.get(id)).map(FlowSession::flow);
    }

    /** Removes the flow; true only for the first caller, so close handling runs once. */
    public boolean remove(FlowId id) {
        return sessions.remove(id) != null;
    }

    public Collection<FlowSession> sessions() {
        return List.copyOf(sessions.values());
    }

    public int size() {
        return sessions.size();
    }
}

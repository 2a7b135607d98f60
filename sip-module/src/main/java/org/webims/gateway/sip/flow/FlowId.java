package org.webims.gateway.sip.flow;

/** Identity of one flow (one WebSocket connection) for the life of the gateway process. */
public record FlowId(long value) {
    @Override
    public String toString() {
        return "flow-" + value;
    }
}

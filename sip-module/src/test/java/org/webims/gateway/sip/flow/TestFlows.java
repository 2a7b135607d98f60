package org.webims.gateway.sip.flow;

import java.net.InetSocketAddress;
import java.time.Instant;

/** Flows for tests without a server. */
public final class TestFlows {
    private TestFlows() {}

    /** A flow whose connection is only an identity (ws from 127.0.0.1:40000): sends go nowhere. */
    public static Flow idle(long id) {
        WebSocketConnection connection = new WebSocketConnection() {
            public String id() { return "c" + id; }
            public InetSocketAddress remoteAddress() { return new InetSocketAddress("127.0.0.1", 40000); }
            public boolean secure() { return false; }
            public void sendText(String text) { }
            public void sendBinary(byte[] data) { }
            public void ping() { }
            public void close(int code, String reason) { }
            public boolean isOpen() { return true; }
        };
        return new Flow(new FlowId(id), connection, Instant.EPOCH);
    }
}

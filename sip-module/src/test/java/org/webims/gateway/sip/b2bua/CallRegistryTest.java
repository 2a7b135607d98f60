package org.webims.gateway.sip.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.flow.FlowId;
import org.webims.gateway.sip.flow.WebSocketConnection;
import org.webims.gateway.sip.media.Side;

/** The per-flow count of calls a client placed, kept with the registry ({@link CallRegistry#placedOver}). */
class CallRegistryTest {

    /** A connection that is only an identity here: the registry never uses it. */
    private static Flow flow(long id) {
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

    private static Call call(String id, CallDirection direction, Flow flow) {
        Leg webrtc = new Leg(Side.WEBRTC, "sip-" + id, flow, null);
        webrtc.localTag = "t-" + id;
        return new Call(id, "sip-" + id, direction, webrtc, Instant.EPOCH, "a", "b", "a", "icid-" + id);
    }

    @Test
    void callsPlacedOverAFlowAreCountedUntilEachEndsOnce() {
        CallRegistry calls = new CallRegistry();
        Flow alice = flow(1);
        Flow bob = flow(2);
        Call first = call("1", CallDirection.ORIGINATING, alice);
        Call second = call("2", CallDirection.ORIGINATING, alice);
        calls.add(first);
        calls.add(second);
        calls.add(call("3", CallDirection.TERMINATING, alice)); // a call to alice is not one she placed
        calls.add(call("4", CallDirection.ORIGINATING, bob));
        assertEquals(2, calls.placedOver(alice.id()));
        assertEquals(1, calls.placedOver(bob.id()));

        calls.remove(first);
        calls.remove(first); // ending twice counts once
        assertEquals(1, calls.placedOver(alice.id()));
        calls.remove(second);
        assertEquals(0, calls.placedOver(alice.id()));
    }
}

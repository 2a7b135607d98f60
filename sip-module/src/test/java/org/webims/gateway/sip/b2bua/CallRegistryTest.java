package org.webims.gateway.sip.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.media.Side;

/** What the registry keeps per client flow: the calls placed over it and the calls running over it. */
class CallRegistryTest {

    /** A connection that is only an identity here: the registry never uses it. */
    private static Flow flow(long id) {
        return org.webims.gateway.sip.flow.TestFlows.idle(id);
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

    @Test
    void theCallsOverAFlowAreBothDirectionsOfItsOwnAndNoneOnceEnded() {
        CallRegistry calls = new CallRegistry();
        Flow alice = flow(1);
        Call placed = call("1", CallDirection.ORIGINATING, alice);
        Call received = call("2", CallDirection.TERMINATING, alice);
        calls.add(placed);
        calls.add(received);
        calls.add(call("3", CallDirection.ORIGINATING, flow(2)));
        assertEquals(Set.of(placed, received), Set.copyOf(calls.over(alice.id())),
                "a closed flow ends what it placed and what it received, not the other flows' calls");

        calls.remove(placed);
        calls.remove(received);
        assertTrue(calls.over(alice.id()).isEmpty());
        assertEquals(1, calls.over(flow(2).id()).size());
    }
}

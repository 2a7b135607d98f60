package org.webims.gateway.sip.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.Limit;
import org.webims.gateway.ports.policy.Source;

class CallCountsTest {
    private final CallCounts counts = new CallCounts();
    private final Limit one = new Limit(1, new Source(Layer.SUBSCRIBER, "sip:a@x"));
    private final Limit two = new Limit(2, new Source(Layer.PROVIDER, "shop"));

    @Test
    void aSubscriberLimitRefusesTheNextCallUntilOneEnds() {
        CallCounts.Result first = counts.reserve("sip:a@x", one, null, null);
        assertNotNull(first.reservation());
        CallCounts.Result second = counts.reserve("sip:a@x", one, null, null);
        assertNull(second.reservation());
        assertEquals("at most 1 simultaneous calls, set by subscriber sip:a@x", second.refusal());
        counts.release(first.reservation());
        assertNotNull(counts.reserve("sip:a@x", one, null, null).reservation());
    }

    @Test
    void aProviderLimitCountsAllItsUsers() {
        assertNotNull(counts.reserve("sip:a@x", null, "shop", two).reservation());
        assertNotNull(counts.reserve("sip:b@x", null, "shop", two).reservation());
        CallCounts.Result third = counts.reserve("sip:c@x", null, "shop", two);
        assertEquals("provider shop has reached its 2 simultaneous calls", third.refusal());
        assertEquals(0, counts.ofSubscriber("sip:c@x"), "a refused call reserves nothing");
        assertEquals(2, counts.ofProvider("shop"));
    }

    @Test
    void noLimitsStillCount() {
        CallCounts.Reservation r = counts.reserve("sip:a@x", null, "shop", null).reservation();
        assertEquals(1, counts.ofSubscriber("sip:a@x"));
        counts.release(r);
        assertEquals(0, counts.ofSubscriber("sip:a@x"));
        assertEquals(0, counts.ofProvider("shop"));
    }
}

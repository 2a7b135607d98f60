package org.webims.gateway.ejb.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ejb.policy.GuestPool;

class GuestLeasesTest {
    private final GuestPool two = new GuestPool("sip:wguest-{n}@ims.test", 2, 60);
    private final GuestLeases leases = new GuestLeases();
    private final Instant t0 = Instant.parse("2026-12-03T07:00:00Z");

    @Test
    void identitiesAreLeasedLowestFirstUntilThePoolIsFull() {
        assertEquals("sip:wguest-0@ims.test", leases.lease("shop", two, t0, t0.plusSeconds(300)).orElseThrow().impu());
        assertEquals("sip:wguest-1@ims.test", leases.lease("shop", two, t0, t0.plusSeconds(300)).orElseThrow().impu());
        assertTrue(leases.lease("shop", two, t0, t0.plusSeconds(300)).isEmpty(), "exhausted");
        assertEquals(t0.plusSeconds(360), leases.nextFree("shop").orElseThrow(), "lease end plus quarantine");
        assertTrue(leases.lease("other", two, t0, t0.plusSeconds(300)).isPresent(), "pools are per provider");
    }

    @Test
    void anIdentityRestsForTheQuarantineBeforeItIsLeasedAgain() {
        leases.lease("shop", two, t0, t0.plusSeconds(300));
        leases.lease("shop", two, t0, t0.plusSeconds(300));
        assertTrue(leases.lease("shop", two, t0.plusSeconds(359), t0.plusSeconds(659)).isEmpty(), "still resting");
        assertEquals(0, leases.lease("shop", two, t0.plusSeconds(360), t0.plusSeconds(660)).orElseThrow().index());
    }

    @Test
    void identitiesHeldByLiveConnectionsHaveNoKnownEnd() {
        leases.lease("shop", two, t0, t0.plusSeconds(300));
        leases.lease("shop", two, t0, t0.plusSeconds(300));
        leases.hold("shop", "sip:wguest-0@ims.test");
        assertEquals(t0.plusSeconds(360), leases.nextFree("shop").orElseThrow(), "the one not held");
        leases.hold("shop", "sip:wguest-1@ims.test");
        assertTrue(leases.nextFree("shop").isEmpty(), "no end known: never Instant.MAX as a Retry-After");
        leases.release("shop", "sip:wguest-1@ims.test", t0.plusSeconds(10), java.time.Duration.ofSeconds(60));
        assertEquals(t0.plusSeconds(70), leases.nextFree("shop").orElseThrow(), "released: the quarantine's end");
    }
}

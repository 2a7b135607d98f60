package org.webims.gateway.sip.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.flow.FlowId;
import org.webims.gateway.sip.registration.RegistrationUpdate.ContactGrant;

class RegistrationStoreTest {
    private static final String ALICE = "sip:alice@ims.example.test";
    private static final String CONTACT = "sip:x1@abc.invalid;transport=ws;ob";
    private static final FlowId FLOW = new FlowId(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final RegistrationStore store = new RegistrationStore(clock);

    @Test
    void aGrantedContactBecomesABindingOfItsFlow() {
        store.apply(update(FLOW, CONTACT, 600));
        Binding binding = store.forFlow(FLOW).orElseThrow();
        assertEquals(ALICE, binding.aor());
        assertEquals("sip:alice@ims.example.test", binding.defaultIdentity());
        assertEquals(List.of("<sip:orig@127.0.0.1:5070;lr>"), binding.serviceRoute());
        assertEquals(clock.instant().plusSeconds(600), binding.expiresAt());
    }

    @Test
    void aRefreshExtendsTheExpiryAndKeepsTheRegistrationTime() {
        store.apply(update(FLOW, CONTACT, 600));
        Instant registered = store.forFlow(FLOW).orElseThrow().registeredAt();
        clock.advance(Duration.ofSeconds(300));
        store.apply(update(FLOW, CONTACT, 600));
        Binding refreshed = store.forFlow(FLOW).orElseThrow();
        assertEquals(registered, refreshed.registeredAt());
        assertEquals(clock.instant().plusSeconds(600), refreshed.expiresAt());
        assertEquals(1, store.size());
    }

    @Test
    void expiresZeroRemovesTheBinding() {
        store.apply(update(FLOW, CONTACT, 600));
        List<Binding> removed = store.apply(update(FLOW, CONTACT, 0));
        assertEquals(1, removed.size());
        assertTrue(store.forFlow(FLOW).isEmpty());
    }

    @Test
    void aWildcardDeRegistrationRemovesEveryContactOfTheAorOnThatFlow() {
        store.apply(update(FLOW, CONTACT, 600));
        store.apply(update(FLOW, "sip:x2@abc.invalid;transport=ws", 600));
        store.apply(update(new FlowId(2), "sip:y@def.invalid;transport=ws", 600));
        store.apply(new RegistrationUpdate(FLOW, ALICE, List.of(), true, List.of(), List.of()));
        assertEquals(1, store.size());
        assertTrue(store.forFlow(FLOW).isEmpty());
    }

    @Test
    void bindingsExpireWithoutARefresh() {
        store.apply(update(FLOW, CONTACT, 60));
        clock.advance(Duration.ofSeconds(59));
        assertTrue(store.expire().isEmpty());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, store.expire().size());
        assertEquals(0, store.size());
    }

    @Test
    void anExpiredBindingNoLongerServesItsFlowEvenBeforeTheSweep() {
        store.apply(update(FLOW, CONTACT, 60));
        clock.advance(Duration.ofSeconds(61));
        assertTrue(store.forFlow(FLOW).isEmpty());
    }

    @Test
    void closingAFlowRemovesOnlyItsBindings() {
        store.apply(update(FLOW, CONTACT, 600));
        store.apply(update(new FlowId(2), "sip:y@def.invalid;transport=ws", 600));
        assertEquals(1, store.removeFlow(FLOW).size());
        assertEquals(1, store.size());
        assertTrue(store.forFlow(new FlowId(2)).isPresent());
    }

    private static RegistrationUpdate update(FlowId flow, String contact, int expires) {
        return new RegistrationUpdate(flow, ALICE,
                List.of(new ContactGrant(contact, "<urn:uuid:1>", 1, expires)), false,
                List.of("sip:alice@ims.example.test", "tel:+15550001"), List.of("<sip:orig@127.0.0.1:5070;lr>"));
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

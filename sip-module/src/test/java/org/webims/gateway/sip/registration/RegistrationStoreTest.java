package org.webims.gateway.sip.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.flow.FlowId;
import org.webims.gateway.sip.registration.RegistrationUpdate.ContactGrant;

class RegistrationStoreTest {
    private static final String ALICE = "sip:alice@ims.example.test";
    private static final String CONTACT = "sip:x1@abc.invalid;transport=ws;ob";
    private static final String BOB = "sip:bob@ims.example.test";
    private static final FlowId FLOW = new FlowId(1);
    private static final FlowId OTHER_FLOW = new FlowId(2);

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

    @Test
    void aRefreshLeavesOneBindingOnTheFlow() {
        store.apply(update(FLOW, CONTACT, 600));
        store.apply(update(FLOW, CONTACT, 600));
        store.apply(update(FLOW, CONTACT, 600));
        assertEquals(List.of(CONTACT), contacts(store.removeFlow(FLOW)));
        assertEquals(0, store.size());
    }

    @Test
    void aContactRegisteredAgainOverANewFlowLeavesTheOldOne() {
        store.apply(update(FLOW, CONTACT, 600));
        clock.advance(Duration.ofSeconds(10));
        store.apply(update(OTHER_FLOW, CONTACT, 600));
        assertTrue(store.forFlow(FLOW).isEmpty(), "the old connection no longer carries the registration");
        Binding moved = store.forFlow(OTHER_FLOW).orElseThrow();
        assertEquals(clock.instant(), moved.registeredAt(), "registered anew on the new flow");
        assertEquals(List.of(), store.removeFlow(FLOW), "closing the old connection removes nothing");
        assertEquals(List.of(CONTACT), contacts(store.removeFlow(OTHER_FLOW)));
    }

    @Test
    void aDeRegistrationSentOverAnotherFlowRemovesTheBindingFromItsFlow() {
        store.apply(update(FLOW, CONTACT, 600));
        assertEquals(1, store.apply(update(OTHER_FLOW, CONTACT, 0)).size());
        assertTrue(store.forFlow(FLOW).isEmpty());
        assertEquals(List.of(), store.removeFlow(FLOW));
    }

    @Test
    void aWildcardDeRegistrationKeepsTheOtherAorsOfTheFlow() {
        store.apply(update(FLOW, CONTACT, 600));
        store.apply(update(FLOW, BOB, "sip:b@abc.invalid;transport=ws", 600));
        store.apply(new RegistrationUpdate(FLOW, ALICE, List.of(), true, List.of(), List.of()));
        assertEquals(BOB, store.forFlow(FLOW).orElseThrow().aor());
        assertEquals(List.of("sip:b@abc.invalid;transport=ws"), contacts(store.removeFlow(FLOW)));
    }

    @Test
    void anExpiredBindingLeavesItsFlow() {
        store.apply(update(FLOW, CONTACT, 60));
        store.apply(update(FLOW, "sip:x2@abc.invalid;transport=ws", 600));
        clock.advance(Duration.ofSeconds(60));
        assertEquals(List.of(CONTACT), contacts(store.expire()));
        assertEquals(List.of("sip:x2@abc.invalid;transport=ws"), contacts(store.removeFlow(FLOW)));
    }

    @Test
    void aFlowClosingRemovesItsBindingsOfEveryAorInTheOrderTheyWereStored() {
        store.apply(update(FLOW, "sip:a1@abc.invalid", 600));
        store.apply(update(OTHER_FLOW, "sip:a2@def.invalid", 600));
        store.apply(update(FLOW, BOB, "sip:b1@abc.invalid", 600));
        store.apply(update(new FlowId(3), BOB, "sip:b3@ghi.invalid", 600));
        store.apply(update(FLOW, "sip:a3@abc.invalid", 600));
        assertEquals(List.of("sip:a1@abc.invalid", "sip:b1@abc.invalid", "sip:a3@abc.invalid"),
                contacts(store.removeFlow(FLOW)));
        assertEquals(List.of("sip:a2@def.invalid", "sip:b3@ghi.invalid"), contacts(store.all()));
        assertTrue(store.forFlow(FLOW).isEmpty());
        assertEquals("sip:a2@def.invalid", store.forFlow(OTHER_FLOW).orElseThrow().contact());
        assertEquals("sip:b3@ghi.invalid", store.forFlow(new FlowId(3)).orElseThrow().contact());
    }

    @Test
    void aFlowIsServedByItsLatestRegistration() {
        store.apply(update(FLOW, "sip:old@abc.invalid", 600));
        clock.advance(Duration.ofSeconds(1));
        store.apply(update(FLOW, BOB, "sip:new@abc.invalid", 600));
        assertEquals("sip:new@abc.invalid", store.forFlow(FLOW).orElseThrow().contact());
        clock.advance(Duration.ofSeconds(1));
        store.apply(update(FLOW, "sip:old@abc.invalid", 600)); // a refresh keeps the registration time
        assertEquals("sip:new@abc.invalid", store.forFlow(FLOW).orElseThrow().contact());
    }

    @Test
    void ofRegistrationsAtTheSameInstantTheOneStoredFirstServesTheFlow() {
        store.apply(update(FLOW, "sip:moved@abc.invalid", 600));
        store.apply(new RegistrationUpdate(OTHER_FLOW, ALICE,
                List.of(new ContactGrant("sip:new@def.invalid", null, null, 600),
                        new ContactGrant("sip:moved@abc.invalid", null, null, 600)),
                false, List.of(), List.of()));
        assertEquals("sip:moved@abc.invalid", store.forFlow(OTHER_FLOW).orElseThrow().contact(),
                "as before the index: the first stored of equal registration times");
        assertEquals(List.of("sip:moved@abc.invalid", "sip:new@def.invalid"), contacts(store.all()));
    }

    @Test
    void aFlowBeingRefreshedIsNeverSeenWithoutItsBinding() throws Exception {
        store.apply(update(FLOW, CONTACT, 600));
        AtomicBoolean refreshing = new AtomicBoolean(true);
        Thread refresher = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                store.apply(update(FLOW, CONTACT, 600));
                store.apply(update(OTHER_FLOW, "sip:y@def.invalid", i % 2 == 0 ? 600 : 0));
            }
            refreshing.set(false);
        });
        refresher.start();
        long misses = 0;
        while (refreshing.get()) {
            if (store.forFlow(FLOW).isEmpty()) {
                misses++;
            }
        }
        refresher.join();
        assertEquals(0, misses, "lookups that found no binding during refreshes");
    }

    private static List<String> contacts(List<Binding> bindings) {
        return bindings.stream().map(Binding::contact).toList();
    }

    private static RegistrationUpdate update(FlowId flow, String contact, int expires) {
        return update(flow, ALICE, contact, expires);
    }

    private static RegistrationUpdate update(FlowId flow, String aor, String contact, int expires) {
        return new RegistrationUpdate(flow, aor,
                List.of(new ContactGrant(contact, "<urn:uuid:1>", 1, expires)), false,
                List.of(aor, "tel:+15550001"), List.of("<sip:orig@127.0.0.1:5070;lr>"));
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

    @Test
    void aFlowHoldsALiveBindingOfAnIdentityUntilItExpires() {
        store.apply(update(FLOW, CONTACT, 60));
        assertTrue(store.holdsLive(FLOW, ALICE));
        assertFalse(store.holdsLive(FLOW, BOB), "another identity");
        assertFalse(store.holdsLive(OTHER_FLOW, ALICE), "another connection");
        clock.advance(Duration.ofSeconds(60));
        assertFalse(store.holdsLive(FLOW, ALICE), "expired, not yet swept");
    }
}

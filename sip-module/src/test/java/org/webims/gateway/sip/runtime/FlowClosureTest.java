package org.webims.gateway.sip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.identity.AccessTokens;
import org.webims.gateway.ports.identity.TokenCheck;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.flow.TestFlows;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.registration.RegistrationUpdate;

/** What a closed flow leaves behind, and on which thread it is cleaned up. */
class FlowClosureTest {
    private static final String GUEST = "sip:guest-7@ims.example.test";

    private final RegistrationStore store = new RegistrationStore(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    private final List<Flow> callsEnded = new ArrayList<>();
    private final List<String> deregistered = new ArrayList<>();
    private final List<String> released = new ArrayList<>();
    private final List<Runnable> queued = new ArrayList<>();
    private final AccessTokens tokens = new AccessTokens() {
        @Override
        public TokenCheck check(String token, String origin) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void released(String provider, String impu) {
            released.add(provider + " " + impu);
        }
    };

    private FlowClosure closure(Executor workers) {
        return new FlowClosure(store, callsEnded::add, (binding, guest) -> deregistered.add(binding.aor()), tokens,
                workers);
    }

    private Flow guestFlow(long id) {
        Flow flow = TestFlows.idle(id);
        flow.authorise(new Flow.TokenIdentity(GUEST, "guest-7", "shop", true, List.of()), "token-" + id);
        store.apply(new RegistrationUpdate(flow.id(), GUEST,
                List.of(new RegistrationUpdate.ContactGrant("sip:g@x.invalid;transport=ws", null, null, 600)), false,
                List.of(), List.of()));
        return flow;
    }

    @Test
    void theClosingThreadOnlyHandsTheCleanUpToAWorker() {
        Flow flow = guestFlow(1);
        closure(queued::add).accept(flow);
        assertEquals(1, store.allForFlow(flow.id()).size(), "nothing done on the I/O thread");
        assertTrue(callsEnded.isEmpty());

        queued.forEach(Runnable::run);
        assertTrue(store.allForFlow(flow.id()).isEmpty(), "the binding of the closed flow is gone");
        assertEquals(List.of(flow), callsEnded);
        assertEquals(List.of(GUEST), deregistered, "a guest leaves nothing at the core");
        assertEquals(List.of("shop " + GUEST), released, "and the identity goes back to its pool");
    }

    @Test
    void withTheWorkersFullNothingOfTheClosedFlowIsLeftBehind() {
        Flow flow = guestFlow(2);
        closure(task -> {
            throw new RejectedExecutionException("full");
        }).accept(flow);
        assertTrue(store.allForFlow(flow.id()).isEmpty());
        assertEquals(List.of(flow), callsEnded);
        assertTrue(deregistered.isEmpty(), "no de-REGISTER from the closing thread: the core's binding expires");
        assertEquals(List.of("shop " + GUEST), released);
    }

    @Test
    void aGuestsIdentityGoesBackToItsPoolEvenWhenEndingTheCallsFails() {
        Flow flow = guestFlow(3);
        FlowClosure failing = new FlowClosure(store, f -> {
            throw new IllegalStateException("teardown failed");
        }, (binding, guest) -> deregistered.add(binding.aor()), tokens, Runnable::run);
        assertThrows(IllegalStateException.class, () -> failing.accept(flow));
        assertEquals(List.of("shop " + GUEST), released);
    }
}

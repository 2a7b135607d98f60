package org.webims.gateway.sip.registration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.flow.FlowId;

class CoreBindingsTest {
    private static final String AOR = "sip:alice@ims.example.test";
    private Instant now = Instant.parse("2026-12-02T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final CoreBindings bindings = new CoreBindings(2, clock);

    private static RegistrationUpdate granted(String contact, int expires) {
        return new RegistrationUpdate(new FlowId(1), AOR,
                List.of(new RegistrationUpdate.ContactGrant(contact, null, null, expires)), false, List.of(), List.of());
    }

    @Test
    void newContactsAreAdmittedUpToTheCapAndKnownOnesAlways() {
        bindings.granted(granted("sip:a@x.invalid", 600));
        bindings.granted(granted("sip:b@x.invalid", 600));
        assertFalse(bindings.admits(AOR, List.of("sip:c@x.invalid")));
        assertTrue(bindings.admits(AOR, List.of("sip:a@x.invalid")), "a refresh of a held contact");
        assertTrue(bindings.admits("sip:bob@ims.example.test", List.of("sip:c@x.invalid")), "per identity");
    }

    @Test
    void bindingsThatExpiredAtTheCoreOrWereRemovedNoLongerCount() {
        bindings.granted(granted("sip:a@x.invalid", 60));
        bindings.granted(granted("sip:b@x.invalid", 600));
        now = now.plus(Duration.ofSeconds(61));
        assertTrue(bindings.admits(AOR, List.of("sip:c@x.invalid")));
        bindings.granted(granted("sip:b@x.invalid", 0));
        assertTrue(bindings.admits(AOR, List.of("sip:c@x.invalid", "sip:d@x.invalid")));
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CoreBindings(0, clock));
    }
}

package org.webims.gateway.sip.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistrationDeadlineTest {
    private final MutableClock clock = new MutableClock();
    private final FlowTable flows = new FlowTable(clock);
    private final Set<FlowId> registered = new HashSet<>();
    private final RegistrationDeadline deadline = new RegistrationDeadline(flows, registered::contains,
            Duration.ofSeconds(60), clock);

    @Test
    void aConnectionWithoutARegistrationIsClosedAtTheDeadlineNotBefore() {
        FakeSession session = open();
        clock.advance(Duration.ofSeconds(59));
        deadline.run();
        assertFalse(session.closedWith != null, "still within its time");
        clock.advance(Duration.ofSeconds(1));
        deadline.run();
        assertEquals(RegistrationDeadline.POLICY_VIOLATION, session.connection.closeCode);
        assertEquals("not registered within 60 s", session.closedWith);
        assertEquals(0, flows.size());
    }

    @Test
    void aRegisteredConnectionStaysEvenAfterItsBindingsGo() {
        FakeSession session = open();
        registered.add(session.flow().id());
        clock.advance(Duration.ofSeconds(10));
        deadline.run();
        registered.clear();
        clock.advance(Duration.ofSeconds(100));
        deadline.run();
        assertTrue(session.flow().hasRegistered());
        assertEquals(null, session.closedWith);
        assertEquals(1, flows.size());
    }

    @Test
    void aConnectionRegisteredByTheDeadlineStays() {
        FakeSession session = open();
        clock.advance(Duration.ofSeconds(61));
        registered.add(session.flow().id());
        deadline.run();
        assertEquals(null, session.closedWith);
    }

    private FakeSession open() {
        return (FakeSession) flows.open(new FakeConnection(), flow -> new FakeSession(flow, flows));
    }

    private static final class FakeSession implements FlowSession {
        private final Flow flow;
        private final FlowTable flows;
        final FakeConnection connection;
        String closedWith;

        FakeSession(Flow flow, FlowTable flows) {
            this.flow = flow;
            this.flows = flows;
            this.connection = (FakeConnection) flow.connection();
        }

        @Override
        public Flow flow() {
            return flow;
        }

        @Override
        public void onMessage(byte[] data) {}

        @Override
        public void onPong() {}

        @Override
        public void onClose(String cause) {
            closedWith = cause;
            flows.remove(flow.id());
        }
    }

    private static final class FakeConnection implements WebSocketConnection {
        Integer closeCode;

        @Override
        public String id() {
            return "fake";
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("192.0.2.1", 40000);
        }

        @Override
        public boolean secure() {
            return false;
        }

        @Override
        public void sendText(String text) {}

        @Override
        public void sendBinary(byte[] data) {}

        @Override
        public void ping() {}

        @Override
        public void close(int code, String reason) {
            closeCode = code;
        }

        @Override
        public boolean isOpen() {
            return closeCode == null;
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

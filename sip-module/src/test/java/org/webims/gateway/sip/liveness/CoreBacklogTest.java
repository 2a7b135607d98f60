package org.webims.gateway.sip.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CoreBacklogTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final CoreBacklog backlog = new CoreBacklog(2, Duration.ofSeconds(32), now::get);

    @Test
    void fullAtTheLimitAndFreeAgainWhenAnAnswerComes() {
        backlog.sent("z9hG4bK1");
        assertFalse(backlog.full());
        backlog.sent("z9hG4bK2");
        assertTrue(backlog.full());
        backlog.answered("z9hG4bK1");
        assertFalse(backlog.full());
        assertEquals(1, backlog.pending());
    }

    @Test
    void aRequestWhoseAnswerNeverCameLeavesWhenItsTransactionCannotBeAliveAnyMore() {
        backlog.sent("z9hG4bK1");
        backlog.sent("z9hG4bK2");
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        assertTrue(backlog.full(), "still within 64*T1");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertFalse(backlog.full());
        assertEquals(0, backlog.pending());
    }

    @Test
    void noLimitNeverFull() {
        CoreBacklog unbounded = new CoreBacklog(0, Duration.ofSeconds(32), now::get);
        unbounded.sent("a");
        unbounded.sent(null);
        unbounded.answered(null);
        assertFalse(unbounded.full());
    }
}

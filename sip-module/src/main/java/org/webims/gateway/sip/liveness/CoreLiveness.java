package org.webims.gateway.sip.liveness;

import java.time.Instant;

/**
 * The IMS core's liveness, the only place it changes (RFC 3261 §11: an OPTIONS to the next hop, answered by it
 * whatever the status when sent with Max-Forwards 0, §16.3 step 2). Hysteresis: UP turns DOWN only after
 * {@code failuresBeforeDown} consecutive failures with no answer in between, at least one of them a failed probe,
 * so requests that time out behind a live core (a proxy sends no 408 for a non-INVITE, RFC 4320) never take it
 * down on their own; DOWN turns UP on the first answer of any kind. Thread-safe; no I/O: the adapter performs the
 * returned change.
 */
public final class CoreLiveness {

    /** Whether the core is taken to answer. */
    public enum State { UP, DOWN }

    /** What was seen of the core: our probe or other traffic toward it, answered or not. */
    public enum Evidence {
        PROBE_ANSWERED(true, true),
        PROBE_FAILED(false, true),
        TRAFFIC_ANSWERED(true, false),
        TRAFFIC_FAILED(false, false);

        private final boolean answered;
        private final boolean probe;

        Evidence(boolean answered, boolean probe) {
            this.answered = answered;
            this.probe = probe;
        }
    }

    /** What the adapter does after an event. */
    public enum Change {
        /** nothing to do */
        NONE,
        /** refuse new requests from clients at once; log it */
        WENT_DOWN,
        /** the core answers again, possibly without the registrations it held: clients must register again */
        CAME_BACK
    }

    private final int failuresBeforeDown;
    private State state = State.UP;
    private Instant since;
    private int failures;
    private boolean probeFailed;
    private Instant lastAnswer;
    private int outages;

    public CoreLiveness(int failuresBeforeDown, Instant start) {
        if (failuresBeforeDown < 1) {
            throw new IllegalArgumentException("failuresBeforeDown must be at least 1");
        }
        this.failuresBeforeDown = failuresBeforeDown;
        this.since = start;
    }

    /** The one transition method. */
    public synchronized Change on(Evidence evidence, Instant now) {
        return switch (state) {
            // UP / an answer / forget the failures / UP
            case UP -> evidence.answered ? answered(now, Change.NONE)
                    // UP / a failure / count it; enough of them, one a probe's / DOWN
                    : failed(evidence, now);
            // DOWN / an answer / CAME_BACK / UP
            case DOWN -> evidence.answered ? answered(now, Change.CAME_BACK)
                    // DOWN / a failure / nothing new / DOWN
                    : failedWhileDown();
        };
    }

    public synchronized State state() {
        return state;
    }

    public synchronized boolean down() {
        return state == State.DOWN;
    }

    public synchronized CoreStatus status() {
        return new CoreStatus(state, since, failures, lastAnswer, outages);
    }

    private Change answered(Instant now, Change change) {
        failures = 0;
        probeFailed = false;
        lastAnswer = now;
        if (change == Change.CAME_BACK) {
            state = State.UP;
            since = now;
        }
        return change;
    }

    private Change failed(Evidence evidence, Instant now) {
        failures++;
        probeFailed |= evidence.probe;
        if (failures < failuresBeforeDown || !probeFailed) {
            return Change.NONE;
        }
        state = State.DOWN;
        since = now;
        outages++;
        return Change.WENT_DOWN;
    }

    private Change failedWhileDown() {
        failures++;
        return Change.NONE;
    }
}

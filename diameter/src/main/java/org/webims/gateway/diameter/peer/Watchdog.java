package org.webims.gateway.diameter.peer;

/**
 * The application-layer watchdog of RFC 3539 §3.4 for one peer connection, as a plain state machine: the connection
 * tells it what happens (a message received, the timer Tw expired, the connection opened or closed) and it says what
 * to do (send a DWR, fail over the pending requests, close the connection). Not thread-safe: one connection's events
 * come from its one event-loop thread.
 */
public final class Watchdog {
    /** RFC 3539 §3.4.1. */
    public enum State { INITIAL, OKAY, SUSPECT, DOWN, REOPEN }

    /** What the connection must do after an event. */
    public enum Action { NONE, SEND_DWR, FAIL_OVER, CLOSE }

    /** RFC 3539 §3.4.1: in REOPEN, this many DWAs in a row before the connection carries traffic again. */
    static final int REOPEN_ANSWERS = 3;

    private State state = State.INITIAL;
    private boolean pending;
    private int reopenAnswers;

    public State state() {
        return state;
    }

    /** Whether requests may go on this connection now. */
    public boolean carriesTraffic() {
        return state == State.OKAY;
    }

    /**
     * The capabilities exchange succeeded: a first connection is OKAY at once; one that was DOWN must prove itself in
     * REOPEN first (§3.4.1), and gets a DWR now.
     */
    public Action opened() {
        pending = false;
        if (state == State.DOWN) {
            state = State.REOPEN;
            reopenAnswers = 0;
            pending = true;
            return Action.SEND_DWR;
        }
        state = State.OKAY;
        return Action.NONE;
    }

    /** Any message from the peer (an answer, a DWA, a request): the peer is alive. */
    public Action received(boolean isWatchdogAnswer) {
        switch (state) {
            case SUSPECT -> {
                state = State.OKAY;
                pending = false;
            }
            case REOPEN -> {
                if (isWatchdogAnswer) {
                    pending = false;
                    if (++reopenAnswers >= REOPEN_ANSWERS) {
                        state = State.OKAY;
                    }
                }
            }
            case OKAY -> {
                if (isWatchdogAnswer) {
                    pending = false;
                }
            }
            default -> {
            }
        }
        return Action.NONE;
    }

    /** Tw expired with nothing received since it was set. */
    public Action timerExpired() {
        switch (state) {
            case OKAY -> {
                if (!pending) {
                    pending = true;
                    return Action.SEND_DWR;
                }
                state = State.SUSPECT; // §3.4.1: no answer to the DWR within Tw
                return Action.FAIL_OVER;
            }
            case SUSPECT -> {
                state = State.DOWN;
                return Action.CLOSE;
            }
            case REOPEN -> {
                if (!pending) {
                    pending = true;
                    return Action.SEND_DWR;
                }
                if (reopenAnswers < 0) {
                    state = State.DOWN; // §3.4.1: a second DWR unanswered in REOPEN
                    return Action.CLOSE;
                }
                reopenAnswers = -1; // §3.4.1 (NumDWA = -1): one missed; the count starts again
                return Action.NONE;
            }
            default -> {
                return Action.NONE;
            }
        }
    }

    /** The transport connection is gone (closed by either side, or failed). */
    public Action closed() {
        boolean hadTraffic = state == State.OKAY || state == State.SUSPECT;
        state = State.DOWN;
        pending = false;
        return hadTraffic ? Action.FAIL_OVER : Action.NONE;
    }
}

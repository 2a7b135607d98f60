package org.webims.gateway.sip.liveness;

import java.time.Instant;

/**
 * The IMS core's liveness at one moment, for log lines and the admin API.
 *
 * @param state up or down
 * @param since when it entered that state (the start of the watch for the first UP)
 * @param consecutiveFailures unanswered probes and requests since the last answer
 * @param lastAnswer when the core last answered anything (null: never)
 * @param outages how often it went down since the start
 */
public record CoreStatus(CoreLiveness.State state, Instant since, int consecutiveFailures, Instant lastAnswer,
        int outages) {}

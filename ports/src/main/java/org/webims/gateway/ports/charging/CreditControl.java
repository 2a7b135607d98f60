package org.webims.gateway.ports.charging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.webims.gateway.ports.call.CallFacts;
import org.webims.gateway.ports.call.MessageFacts;

/**
 * Online charging as call control sees it (RFC 4006 session and event charging, TS 32.299 Ro): credit is reserved
 * before a call is set up (originating: before the INVITE goes to the core; terminating: before the client is
 * invited), and a MESSAGE is debited before it is relayed. Nothing here blocks: the answer comes as a stage, on
 * whatever thread; call control continues on the call's own queue. The rest of a call's credit (counting from the
 * answer, updates, the final CCR) follows its call events.
 */
public interface CreditControl {

    CompletionStage<CreditDecision> reserve(CallFacts call, CallRelease release);

    CompletionStage<CreditDecision> debit(MessageFacts message);

    /** No online charging: everything granted at once. */
    static CreditControl none() {
        return new CreditControl() {
            @Override
            public CompletionStage<CreditDecision> reserve(CallFacts call, CallRelease release) {
                return CompletableFuture.completedFuture(CreditDecision.GRANTED);
            }

            @Override
            public CompletionStage<CreditDecision> debit(MessageFacts message) {
                return CompletableFuture.completedFuture(CreditDecision.GRANTED);
            }
        };
    }
}

package org.webims.gateway.ports.qos;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.webims.gateway.ports.call.CallFacts;

/**
 * QoS for a call's WebRTC leg (TS 29.214, the gateway as the AF): asked only for clients whose access network
 * supports QoS. {@link #authorise} before the call goes on (its answer comes as a stage, no thread waits), then
 * {@link #modify} each time the negotiated media change, and {@link #release} once when the call ends. Nothing here
 * blocks.
 */
public interface QosControl {

    /**
     * Asks the PCRF to authorise the call's media (an AAR) from the client at {@code clientAddress}; the decision
     * says whether the call may go on. {@code release} ends the call when the network later aborts the session or
     * loses the bearer.
     */
    CompletionStage<QosDecision> authorise(CallFacts call, String clientAddress, List<MediaComponent> media,
            BearerRelease release);

    /** The call's negotiated media changed (the answer, a hold, a new stream): the PCRF is told. */
    void modify(String callId, List<MediaComponent> media);

    /** The call ended: its authorisation is withdrawn (STR). Harmless for a call that has none. */
    void release(String callId);

    /** Whether QoS is requested at all (a PCRF is configured). */
    default boolean enabled() {
        return true;
    }

    /** No PCRF: every call goes on without QoS. */
    static QosControl none() {
        return new QosControl() {
            @Override
            public CompletionStage<QosDecision> authorise(CallFacts call, String clientAddress,
                    List<MediaComponent> media, BearerRelease release) {
                return CompletableFuture.completedFuture(QosDecision.PROCEED);
            }

            @Override
            public void modify(String callId, List<MediaComponent> media) {
            }

            @Override
            public void release(String callId) {
            }

            @Override
            public boolean enabled() {
                return false;
            }
        };
    }
}

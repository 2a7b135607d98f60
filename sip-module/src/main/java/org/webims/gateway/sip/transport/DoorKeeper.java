package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.function.Consumer;
import org.webims.gateway.sip.flow.Flow;

/**
 * Looks at each request of a client before the transaction layer does, on the receiving thread: a request it answers
 * there (RFC 3261 §8.2.7, a stateless answer; over a WebSocket, a reliable transport, no retransmission would need a
 * transaction to absorb it) costs no transaction, no queuing and no application work. For refusals that must be
 * cheaper than the work they refuse, such as shedding load past capacity. While it {@link #refusing() refuses}, it
 * sees a request within the size limit whose raw head can be read ({@link RequestHead}) first as that head, before
 * the parse, and then, if it let the head pass, parsed.
 */
@FunctionalInterface
public interface DoorKeeper {
    /** Lets everything through. */
    DoorKeeper OPEN = (request, flow, answer) -> false;

    /**
     * Whether the request was dealt with here: answered through {@code answer}, or dropped because it needs no
     * answer (the ACK of a response sent here). False hands it on to the stack.
     */
    boolean dealtWith(SIPRequest request, Flow flow, Consumer<SIPResponse> answer);

    /** Whether requests may be refused now: only then is a request's raw head read before the parse. Cheap. */
    default boolean refusing() {
        return false;
    }

    /**
     * Whether the request, known only by its raw head, was answered here through {@code answer} (the response's whole
     * text). False hands it on to the parse and to {@link #dealtWith(SIPRequest, Flow, Consumer)}.
     */
    default boolean dealtWith(RequestHead head, Flow flow, Consumer<String> answer) {
        return false;
    }
}

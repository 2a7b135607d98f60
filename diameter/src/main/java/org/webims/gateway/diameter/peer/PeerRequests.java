package org.webims.gateway.diameter.peer;

import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.ResultCode;

/**
 * What the gateway answers to a request its server sends over a client connection (RFC 6733 §2.1: either side of a
 * connection may send requests; e.g. the PCRF's Abort-Session-Request and Re-Auth-Request on Rx, TS 29.214 §4.4.4,
 * §4.4.6). Called on the peer's event-loop thread: it must not block, and returns the answer's Result-Code; the peer
 * builds the answer (Session-Id, Result-Code, Origin-Host, Origin-Realm).
 */
@FunctionalInterface
public interface PeerRequests {
    long answer(DiameterMessage request);

    /** Nothing but the base protocol's own requests is taken: 3001 DIAMETER_COMMAND_UNSUPPORTED. */
    PeerRequests NONE = request -> ResultCode.COMMAND_UNSUPPORTED;
}

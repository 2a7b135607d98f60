package org.webims.gateway.sip.edge;

import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import org.webims.gateway.ports.call.MessageFacts;
import org.webims.gateway.sip.flow.Flow;

/**
 * What a client transaction we opened was for: the server transaction to answer, and for a REGISTER the request
 * as forwarded and the flow it came over. Kept as the client transaction's application data.
 *
 * @param flow    the client's flow for requests from a client, null for requests from the core
 * @param message for a MESSAGE, what its charging record needs (its status still 0), else null
 */
record ProxiedTransaction(ServerTransaction serverTransaction, Request forwarded, Flow flow, MessageFacts message) {

    ProxiedTransaction(ServerTransaction serverTransaction, Request forwarded, Flow flow) {
        this(serverTransaction, forwarded, flow, null);
    }

    boolean isRegister() {
        return Request.REGISTER.equals(forwarded.getMethod());
    }
}

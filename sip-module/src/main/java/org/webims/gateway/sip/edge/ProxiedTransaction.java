package org.webims.gateway.sip.edge;

import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import org.webims.gateway.sip.flow.Flow;

/**
 * What a client transaction we opened was for: the server transaction to answer, and for a REGISTER the request
 * as forwarded and the flow it came over. Kept as the client transaction's application data.
 *
 * @param flow the client's flow for requests from a client, null for requests from the core
 */
record ProxiedTransaction(ServerTransaction serverTransaction, Request forwarded, Flow flow) {

    boolean isRegister() {
        return Request.REGISTER.equals(forwarded.getMethod());
    }
}

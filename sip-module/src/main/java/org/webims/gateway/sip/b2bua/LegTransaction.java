package org.webims.gateway.sip.b2bua;

import javax.sip.ServerTransaction;

/**
 * Application data of a client transaction the B2BUA opened on {@code leg}: what it is for, and for a relayed
 * request the server transaction on {@code origin} that waits for its answer.
 */
record LegTransaction(Call call, Leg leg, Purpose purpose, ServerTransaction originServer, Leg origin) {

    enum Purpose {
        /** The initial INVITE of the called leg. */
        INITIAL,
        /** A request relayed from the other leg within the dialog (re-INVITE, UPDATE, INFO, MESSAGE, ...). */
        RELAY,
        /** A session refresh (RFC 4028) the gateway sends on the IMS leg. */
        REFRESH,
        /** A request the B2BUA sends on its own (BYE or CANCEL on teardown, PRACK); its answer needs nothing further. */
        TEARDOWN
    }
}

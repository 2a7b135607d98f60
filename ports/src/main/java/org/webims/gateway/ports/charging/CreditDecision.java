package org.webims.gateway.ports.charging;

/** The online charging system's word on a call or a MESSAGE. */
public sealed interface CreditDecision {

    /** Go ahead (with credit granted, or without credit control where the failure handling says CONTINUE). */
    record Granted() implements CreditDecision {
    }

    /**
     * No: answered with this SIP status (402 when the credit is used up, 403 when the service is denied, 503 when the
     * online charging system cannot be reached and the failure handling says so) and a Warning text.
     */
    record Refused(int status, String warning) implements CreditDecision {
    }

    CreditDecision GRANTED = new Granted();
}

package org.webims.gateway.ports.qos;

/** The outcome of asking for QoS: the call goes on (with QoS, or without it where it is best effort), or not. */
public sealed interface QosDecision {

    record Proceed() implements QosDecision {
    }

    /** The call is refused with this SIP status and Warning text: QoS is required and was not authorised. */
    record Refused(int status, String warning) implements QosDecision {
    }

    QosDecision PROCEED = new Proceed();
}

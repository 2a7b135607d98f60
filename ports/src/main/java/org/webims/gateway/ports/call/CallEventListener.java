package org.webims.gateway.ports.call;

/**
 * Told of every call event, on the call's own serial queue, in order. A listener returns at once: anything slow
 * (a database, Diameter) it hands to its own executor. A listener that throws is logged and does not affect the call.
 */
@FunctionalInterface
public interface CallEventListener {
    void onCallEvent(CallEvent event);
}

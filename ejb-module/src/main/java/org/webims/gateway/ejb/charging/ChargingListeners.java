package org.webims.gateway.ejb.charging;

import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.ports.call.CallEvent;
import org.webims.gateway.ports.call.CallEventListener;
import org.webims.gateway.ports.call.MessageFacts;

/** Offline and online charging both hear every call event and MESSAGE, in that order; either may refuse new calls. */
final class ChargingListeners implements CallEventListener {
    private static final Logger LOG = Logger.getLogger(ChargingListeners.class.getName());
    private final List<CallEventListener> listeners;

    ChargingListeners(List<CallEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onCallEvent(CallEvent event) {
        for (CallEventListener listener : listeners) {
            try {
                listener.onCallEvent(event);
            } catch (RuntimeException e) { // one failing never keeps the event from the other
                LOG.log(Level.SEVERE, "Charging failed on " + event.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void onMessage(MessageFacts message) {
        for (CallEventListener listener : listeners) {
            try {
                listener.onMessage(message);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Charging failed on a MESSAGE", e);
            }
        }
    }

    @Override
    public Optional<String> refusesNewCalls() {
        return listeners.stream().map(CallEventListener::refusesNewCalls).flatMap(Optional::stream).findFirst();
    }

    @Override
    public Optional<String> refusesNewRecords() {
        return listeners.stream().map(CallEventListener::refusesNewRecords).flatMap(Optional::stream).findFirst();
    }
}

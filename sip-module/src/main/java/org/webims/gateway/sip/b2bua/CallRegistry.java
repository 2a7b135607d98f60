package org.webims.gateway.sip.b2bua;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The live calls, by our call id and by the SIP Call-ID of each leg. Thread-safe. */
final class CallRegistry {
    private final Map<String, Call> byId = new ConcurrentHashMap<>();
    private final Map<String, Call> byLeg = new ConcurrentHashMap<>();

    void add(Call call) {
        byId.put(call.id, call);
        byLeg.put(call.webrtc.sipCallId, call);
    }

    void addLeg(Call call, Leg leg) {
        byLeg.put(leg.sipCallId, call);
    }

    Call byLegCallId(String sipCallId) {
        return byLeg.get(sipCallId);
    }

    /** The serial-queue key for a SIP message: its call's key when it belongs to one. */
    String keyFor(String sipCallId) {
        Call call = byLeg.get(sipCallId);
        return call != null ? call.key : sipCallId;
    }

    void remove(Call call) {
        byId.remove(call.id);
        byLeg.remove(call.webrtc.sipCallId);
        if (call.ims != null) {
            byLeg.remove(call.ims.sipCallId);
        }
    }

    Collection<Call> all() {
        return List.copyOf(byId.values());
    }

    int size() {
        return byId.size();
    }
}

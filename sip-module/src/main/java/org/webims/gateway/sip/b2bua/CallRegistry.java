package org.webims.gateway.sip.b2bua;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.sip.flow.FlowId;

/**
 * The live calls, by our call id and by dialog (Call-ID and our tag, RFC 3261 §12). The Call-ID alone is not
 * enough: a call between two WebRTC clients of this gateway spirals through the core, and its terminating IMS leg
 * has the Call-ID and From tag of the originating IMS leg; only our tag tells them apart. Thread-safe.
 */
final class CallRegistry {
    private final Map<String, Call> byId = new ConcurrentHashMap<>();
    private final Map<String, Call> byDialog = new ConcurrentHashMap<>();
    private final Map<String, List<Call>> byCallId = new ConcurrentHashMap<>();
    /**
     * The live calls whose WebRTC leg runs over each flow: a closed flow ends its own calls, not a scan of all, and
     * the calls a client placed are counted among its flow's few.
     */
    private final Map<FlowId, Set<Call>> overFlow = new ConcurrentHashMap<>();

    void add(Call call) {
        byId.put(call.id, call);
        addLeg(call, call.webrtc);
        if (call.webrtc.flow != null) {
            overFlow.compute(call.webrtc.flow.id(), (flow, calls) -> {
                Set<Call> over = calls == null ? ConcurrentHashMap.newKeySet() : calls;
                over.add(call);
                return over;
            });
        }
    }

    private static boolean placedByClient(Call call) {
        return call.direction == CallDirection.ORIGINATING && call.webrtc.flow != null;
    }

    /** Registers a leg once its Call-ID and our tag on it are known. */
    void addLeg(Call call, Leg leg) {
        byDialog.put(dialogKey(leg.sipCallId, leg.localTag), call);
        byCallId.computeIfAbsent(leg.sipCallId, k -> new CopyOnWriteArrayList<>()).add(call);
    }

    /**
     * The call a request within a dialog belongs to: by our tag (the request's To tag); for a CANCEL, which has no
     * To tag, the call whose leg with this Call-ID still has the INVITE to cancel.
     */
    Call find(String sipCallId, String toTag) {
        if (toTag != null) {
            return byDialog.get(dialogKey(sipCallId, toTag));
        }
        for (Call call : byCallId.getOrDefault(sipCallId, List.of())) {
            Leg leg = call.leg(sipCallId);
            if (leg != null && leg.inviteServer != null) {
                return call;
            }
        }
        return null;
    }

    boolean owns(String sipCallId) {
        return byCallId.containsKey(sipCallId);
    }

    /**
     * The serial-queue key for a SIP message: the key of the call owning its Call-ID, so that every message of a
     * call (and of both calls of a spiral) is handled in order.
     */
    String keyFor(String sipCallId) {
        List<Call> calls = byCallId.get(sipCallId);
        return calls == null || calls.isEmpty() ? sipCallId : calls.get(0).key;
    }

    void remove(Call call) {
        byId.remove(call.id);
        if (call.webrtc.flow != null) {
            overFlow.computeIfPresent(call.webrtc.flow.id(), (flow, calls) -> {
                calls.remove(call);
                return calls.isEmpty() ? null : calls;
            });
        }
        for (Leg leg : new Leg[] {call.webrtc, call.ims}) {
            if (leg == null) {
                continue;
            }
            byDialog.remove(dialogKey(leg.sipCallId, leg.localTag), call);
            byCallId.computeIfPresent(leg.sipCallId, (k, calls) -> {
                calls.remove(call);
                return calls.isEmpty() ? null : calls;
            });
        }
    }

    /**
     * The calls a client placed over this WebSocket flow that have not ended (from any thread; a burst of INVITEs
     * handled in parallel may each see the count before the others are added).
     */
    int placedOver(FlowId flow) {
        Set<Call> calls = overFlow.get(flow);
        return calls == null ? 0 : (int) calls.stream().filter(CallRegistry::placedByClient).count();
    }

    /** The live calls whose WebRTC leg runs over this flow (a copy). */
    Collection<Call> over(FlowId flow) {
        Set<Call> calls = overFlow.get(flow);
        return calls == null ? List.of() : List.copyOf(calls);
    }

    Collection<Call> all() {
        return List.copyOf(byId.values());
    }

    int size() {
        return byId.size();
    }

    private static String dialogKey(String sipCallId, String localTag) {
        return sipCallId + ";" + localTag;
    }
}

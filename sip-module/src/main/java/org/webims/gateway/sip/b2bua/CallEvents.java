package org.webims.gateway.sip.b2bua;

import java.time.Clock;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.CallEvent;
import org.webims.gateway.ports.call.CallEventListener;
import org.webims.gateway.ports.call.MediaStream;
import org.webims.gateway.sip.call.SdpSummary;

/**
 * Tells the call-event listener (charging attaches there) what happens to each call, on the call's queue and in
 * order. A listener that throws is logged and never changes the call.
 */
final class CallEvents {
    private static final Logger LOG = Logger.getLogger(CallEvents.class.getName());
    private final CallEventListener listener;
    private final Clock clock;

    CallEvents(CallEventListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    void attempted(Call call) {
        call.reported = true;
        publish(new CallEvent.Attempted(call.facts(), call.startedAt));
    }

    void answered(Call call) {
        publish(new CallEvent.Answered(call.facts(), call.answeredAt(), streams(call.webrtc),
                streams(call.ims)));
    }

    void mediaChanged(Call call) {
        publish(new CallEvent.MediaChanged(call.facts(), clock.instant(), streams(call.webrtc), streams(call.ims)));
    }

    /** Only for a call whose attempt was reported (not the emergency 380's announcement: no session, no record). */
    void ended(Call call, CallEnd end) {
        if (call.reported) {
            publish(new CallEvent.Ended(call.facts(), clock.instant(), end, call.answeredAt() != null));
        }
    }

    /** Why the listener cannot take a new call now, or empty. */
    java.util.Optional<String> refusesNewCalls() {
        return refuses(listener::refusesNewCalls, "new calls");
    }

    /** Why the listener cannot record a new event that is not debited (a MESSAGE from the core) now, or empty. */
    java.util.Optional<String> refusesNewRecords() {
        return refuses(listener::refusesNewRecords, "new records");
    }

    private static java.util.Optional<String> refuses(java.util.function.Supplier<java.util.Optional<String>> ask,
            String what) {
        try {
            return ask.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The call-event listener failed to say whether it takes " + what, e);
            return java.util.Optional.empty();
        }
    }

    private static List<MediaStream> streams(Leg leg) {
        if (leg == null) {
            return List.of();
        }
        return leg.media.streams().stream().map(CallEvents::stream).toList();
    }

    private static MediaStream stream(SdpSummary.Stream s) {
        return new MediaStream(s.kind(), s.codecs(), s.port() != 0);
    }

    private void publish(CallEvent event) {
        try {
            listener.onCallEvent(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The call-event listener failed on " + event.getClass().getSimpleName()
                    + " of call " + event.call().id(), e);
        }
    }
}

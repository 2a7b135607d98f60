package org.webims.gateway.ports.call;

import java.time.Instant;
import java.util.List;

/** What happened to a call, in order: attempted, then answered and media changes, then ended, exactly once. */
public sealed interface CallEvent {
    CallFacts call();

    Instant at();

    /** Call control accepted the request and is setting the call up. */
    record Attempted(CallFacts call, Instant at) implements CallEvent {
    }

    /** The called side answered (2xx) and the caller was told. */
    record Answered(CallFacts call, Instant at, List<MediaStream> webrtc, List<MediaStream> ims)
            implements CallEvent {
    }

    /** An offer/answer within the dialog changed the media (hold, video added or removed, codec change). */
    record MediaChanged(CallFacts call, Instant at, List<MediaStream> webrtc, List<MediaStream> ims)
            implements CallEvent {
    }

    /** The call is over (answered or not). */
    record Ended(CallFacts call, Instant at, CallEnd end, boolean wasAnswered) implements CallEvent {
    }
}

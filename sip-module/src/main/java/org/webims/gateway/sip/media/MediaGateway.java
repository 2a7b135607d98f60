package org.webims.gateway.sip.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The eIMS-AGW as the B2BUA sees it (TS 23.228 Annex U; the Iq-like control of TS 23.334 reduced to SDP offer and
 * answer): anchors each call's media, rewrites every SDP body (RFC 3264) for the side it is sent toward, and
 * releases the media when the call ends. Protocol-neutral: the B2BUA never learns how the gateway is driven.
 *
 * <p>Every operation returns at once; the future completes on an executor of the implementation's choosing, never
 * on the caller's thread, and fails with {@link MediaGatewayException} when the gateway refuses or does not answer.
 */
public interface MediaGateway {

    /**
     * An offer from the party {@code legs.fromTag()}, received from {@code toward.opposite()}, rewritten for
     * {@code toward}; also for re-offers. Completes with the SDP to send toward {@code toward}.
     */
    CompletableFuture<String> offer(MediaLegs legs, String sdp, Side toward);

    /**
     * An offer within a call already accepted (the called party's offer in its 2xx, RFC 3264 §5): as {@link #offer},
     * but it goes with the commands of calls in progress, never refused as the start of new work.
     */
    default CompletableFuture<String> offerInCall(MediaLegs legs, String sdp, Side toward) {
        return offer(legs, sdp, toward);
    }

    /**
     * A re-offer within an established session (RFC 3264 §8), rewritten for {@code toward}, whose party uses the
     * codecs {@code inUse} now (from its last answer). The gateway keeps that codec available rather than offering
     * every transcoding option again. Without transcoding this is {@link #offer}.
     */
    default CompletableFuture<String> reoffer(MediaLegs legs, String sdp, Side toward, List<String> inUse) {
        return offer(legs, sdp, toward);
    }

    /**
     * The answer of the party {@code legs.toTag()} (required), received from {@code toward.opposite()}, rewritten
     * for the offerer on side {@code toward}. Completes with the SDP to send toward {@code toward}.
     */
    CompletableFuture<String> answer(MediaLegs legs, String sdp, Side toward);

    /**
     * Whether the gateway cannot take a new session now (too many commands wait for it): new calls are refused early,
     * before anything is reserved for them, while calls in progress go on.
     */
    default boolean saturated() {
        return false;
    }

    /** Releases the session's media; succeeds too when the gateway no longer knows the session. */
    CompletableFuture<Void> delete(MediaLegs legs);

    /** Completes when the gateway is alive. */
    CompletableFuture<Void> ping();

    /** Packet counters per participant of a live session. */
    CompletableFuture<MediaStats> query(MediaLegs legs);

    /** Call ids of the sessions the gateway holds (at most a few hundred; for tests and diagnostics). */
    CompletableFuture<List<String>> list();

    /**
     * Plays a sound file (a WAV: tones, announcements) to the participant on side {@code toward}, which must have
     * offered or answered through this gateway. Completes when playback started, with its length when known.
     */
    CompletableFuture<Optional<Duration>> play(MediaLegs legs, Side toward, Path file);

    /** As {@link #play(MediaLegs, Side, Path)}, the file played {@code times} times over (music on hold). */
    default CompletableFuture<Optional<Duration>> play(MediaLegs legs, Side toward, Path file, int times) {
        return play(legs, toward, file);
    }

    /** Stops what {@link #play} plays to the participant on side {@code toward}; succeeds when nothing plays. */
    default CompletableFuture<Void> stopPlaying(MediaLegs legs, Side toward) {
        return CompletableFuture.completedFuture(null);
    }
}

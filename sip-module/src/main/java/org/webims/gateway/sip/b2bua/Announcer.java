package org.webims.gateway.sip.b2bua;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ServerTransaction;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;
import org.webims.gateway.sip.announce.AnnouncerSdp;
import org.webims.gateway.sip.announce.Announcements;
import org.webims.gateway.sip.announce.HoldOffer;
import org.webims.gateway.sip.announce.WavFile;
import org.webims.gateway.sip.media.MediaGateway;
import org.webims.gateway.sip.media.MediaLegs;
import org.webims.gateway.sip.media.Side;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * Network tones and announcements before a failed originating call's final response (TS 22.228 §11.2): the WebRTC
 * client gets a 183 with media from the gateway, the media gateway plays the cause's tone or announcement into it,
 * and then the call is refused with the same status and Warning as without it. So any client, not only the operator's
 * softphone, learns why. Early media from the network always wins: a call whose client already had the core's early
 * media is refused at once. A client that requires reliable provisionals (RFC 3262) is refused at once too.
 * <p>
 * The call stays live (and in the registry) until the final response, so that a CANCEL or a closed connection ends it
 * as any other, and the media session is the call's own: its end deletes it. Nothing here waits on a thread.
 */
final class Announcer {
    private static final Logger LOG = Logger.getLogger(Announcer.class.getName());
    /** The longest the final response waits for a playback, whatever the file. */
    static final Duration LONGEST = Duration.ofSeconds(30);
    /** Music on hold plays over and over until the resume stops it (or the call ends). */
    static final int MUSIC_REPEATS = 1000;
    private final SipContext sip;
    private final MediaGateway media;
    private final Announcements announcements;
    private final LegSignals signals;
    private final KeyedSerialExecutor work;
    private final ScheduledExecutorService timers;

    Announcer(SipContext sip, MediaGateway media, Announcements announcements, LegSignals signals,
            KeyedSerialExecutor work, ScheduledExecutorService timers) {
        this.sip = sip;
        this.media = media;
        this.announcements = announcements;
        this.signals = signals;
        this.work = work;
        this.timers = timers;
    }

    /** Whether a refusal with this status of a new call offering media would be announced. */
    boolean plays(int status) {
        return sip.settings.mediaAnchoring() && announcements.onFailure(status).isPresent();
    }

    /**
     * Whether the refusal with {@code status} is announced first; if so {@code refuse} (which sends the final response
     * and ends the call) runs on the call's queue once the playback is over, and the caller does nothing more now.
     */
    boolean announce(Call call, int status, Runnable refuse) {
        Leg calling = call.calling();
        if (calling.side != Side.WEBRTC || calling.inviteServer == null || calling.requiresReliable
                || calling.earlyMediaSent || !call.isLive() || !sip.settings.mediaAnchoring()) {
            return false;
        }
        Optional<Path> file = announcements.onFailure(status);
        String clientOffer = SipBodies.sdp(calling.inviteServer.getRequest());
        if (file.isEmpty() || clientOffer == null) {
            return false; // nothing to play, or an offerless INVITE: nothing to play into
        }
        MediaLegs legs = call.mediaFrom(calling);
        call.announced = true;
        CompletableFuture<String> imsOffer = call.ims != null && call.ims.offered != null
                ? CompletableFuture.completedFuture(call.ims.offered)
                : MediaSteps.attempt(() -> media.offer(legs, clientOffer, Side.IMS));
        imsOffer.thenCompose(offer -> media.answer(legs, AnnouncerSdp.answerTo(offer), Side.WEBRTC))
                .whenComplete((answer, error) -> work.continueWith(call.key, () -> {
                    if (!call.isLive()) {
                        media.delete(legs); // ended meanwhile: the session may have been made after its delete
                        return;
                    }
                    if (error != null) {
                        LOG.log(Level.WARNING, "No announcement for " + call + " (" + error + "): refused at once");
                        refuse.run();
                        return;
                    }
                    try {
                        earlyMedia(calling, answer);
                    } catch (Exception e) {
                        LOG.log(Level.WARNING, "Could not send the announcement's 183 for " + call, e);
                        refuse.run();
                        return;
                    }
                    LOG.fine(() -> "Announcing " + file.get() + " before " + status + " to " + call);
                    later(call, announcements.settle(), () -> play(call, legs, file.get(), refuse));
                }));
        return true;
    }

    /**
     * The final units of credit run out in {@code left}: the warning tone of the plan, played by the media gateway to
     * the WebRTC participant only (the IMS party does not hear it). On the call's queue.
     */
    void warnFinalUnits(Call call, Duration left) {
        Optional<Path> tone = announcements.finalUnitsWarning();
        if (!call.isLive() || !call.isConfirmed() || tone.isEmpty() || !sip.settings.mediaAnchoring()) {
            return;
        }
        LOG.info(() -> "Warning " + call + ": its credit runs out in " + left.toSeconds() + " s");
        media.play(call.mediaFrom(call.webrtc), Side.WEBRTC, tone.get()).whenComplete((length, error) -> {
            if (error != null) {
                LOG.warning(() -> "rtpengine could not play the credit warning for " + call + ": "
                        + error.getMessage());
            }
        });
    }

    /**
     * The WebRTC user's re-offer was answered (RFC 3264 §8.4): holding (its audio {@code sendonly} or
     * {@code inactive}), the IMS party hears the operator's music on hold, played by the media gateway until the
     * user resumes; resuming stops it. On the call's queue.
     */
    void reoffered(Call call, Leg offerer, String offer) {
        Optional<Path> music = announcements.musicOnHold();
        if (offerer.side != Side.WEBRTC || music.isEmpty() || offer == null || !sip.settings.mediaAnchoring()) {
            return;
        }
        MediaLegs legs = call.mediaFrom(offerer);
        boolean holding = HoldOffer.holds(offer);
        if (holding && !call.musicOnHold) {
            call.musicOnHold = true;
            media.play(legs, Side.IMS, music.get(), MUSIC_REPEATS).whenComplete((length, error) -> {
                if (error != null) {
                    LOG.warning(() -> "rtpengine could not play music on hold for " + call + ": " + error.getMessage());
                }
            });
        } else if (!holding && call.musicOnHold) {
            call.musicOnHold = false;
            stopMusic(call, legs, 1);
        }
    }

    /** Stops the music (review: a lost "stop media" left it playing over the resumed call); tried three times. */
    private void stopMusic(Call call, MediaLegs legs, int attempt) {
        media.stopPlaying(legs, Side.IMS).whenComplete((ok, error) -> {
            if (error == null) {
                return;
            }
            if (attempt < 3) {
                work.execute(call.key, () -> {
                    if (call.isLive() && !call.musicOnHold) {
                        stopMusic(call, legs, attempt + 1);
                    }
                });
            } else {
                LOG.warning(() -> "rtpengine did not stop the music on hold of " + call + ": " + error.getMessage());
            }
        });
    }

    /** RFC 3261 §13.3.1.1: a 183 with our SDP in the client's dialog (the tag the final response will carry). */
    private void earlyMedia(Leg calling, String sdp) throws Exception {
        ServerTransaction st = calling.inviteServer;
        Response progress = sip.messages.createResponse(Response.SESSION_PROGRESS, st.getRequest());
        ((ToHeader) progress.getHeader(ToHeader.NAME)).setTag(calling.localTag);
        progress.addHeader(sip.headers.createContactHeader(signals.ourContact(calling.side)));
        SipBodies.setSdp(progress, sip.headers, sdp);
        st.sendResponse(progress);
        calling.earlyMediaSent = true;
    }

    private void play(Call call, MediaLegs legs, Path file, Runnable refuse) {
        if (!call.isLive()) {
            return;
        }
        media.play(legs, Side.WEBRTC, file).whenComplete((length, error) -> {
            Duration plays = Duration.ZERO;
            if (error != null) {
                LOG.warning(() -> "rtpengine could not play " + file + " for " + call + ": " + error.getMessage());
            } else {
                plays = length.or(() -> WavFile.length(file)).orElse(Duration.ofSeconds(3));
            }
            later(call, plays.compareTo(LONGEST) > 0 ? LONGEST : plays, refuse);
        });
    }

    /** Runs {@code step} on the call's queue after {@code delay}, if the call is still live then. */
    private void later(Call call, Duration delay, Runnable step) {
        timers.schedule(() -> work.execute(call.key, () -> {
            if (call.isLive()) {
                step.run();
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}

package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.message.Response;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;

/**
 * Continues a call on its own queue once the media gateway (or another asynchronous step) answered: the step runs
 * with the SDP it produced; a failure ends the call with the status of {@link MediaRefusal} (488 for the SDP's
 * fault, 503 with Retry-After for the media gateway's) and a Warning naming the cause, never a hang.
 */
final class MediaSteps {
    private static final Logger LOG = Logger.getLogger(MediaSteps.class.getName());
    private final KeyedSerialExecutor work;
    private final Teardown teardown;

    MediaSteps(KeyedSerialExecutor work, Teardown teardown) {
        this.work = work;
        this.teardown = teardown;
    }

    /** As {@link #then(Call, CompletableFuture, SdpStep, MediaFailure)}, a failure failing the call. */
    void then(Call call, CompletableFuture<String> result, SdpStep next) {
        then(call, result, next, refusal -> {
            if (call.isLive()) {
                teardown.fail(call, refusal);
            }
        });
    }

    /**
     * Runs {@code next} on the call's queue with the step's SDP; on failure {@code failed} instead, with what to
     * answer (also {@link MediaRefusal#CALL_ENDED} when the call ended meanwhile).
     */
    void then(Call call, CompletableFuture<String> result, SdpStep next, MediaFailure failed) {
        // completed on a worker (rtpengine's answer): the call's next step may run there at once
        result.whenComplete((sdp, error) -> work.continueWith(call.key, () -> {
            if (!call.isLive()) {
                if (error == null) {
                    // the call ended while rtpengine was creating or changing its session: the delete sent when
                    // it ended may have reached rtpengine before this step did, so the session is deleted again
                    teardown.deleteMedia(call, Level.FINE); // usually already gone
                }
                failed.accept(MediaRefusal.CALL_ENDED);
                return;
            }
            if (error != null) {
                MediaRefusal refusal = MediaRefusal.of(error);
                Level level = refusal.status() == Response.NOT_ACCEPTABLE_HERE ? Level.FINE : Level.WARNING;
                LOG.log(level, () -> "Media step failed for " + call + ": " + rootMessage(error));
                failed.accept(refusal); // rtpengine's address: in the log only
                return;
            }
            try {
                next.accept(sdp);
            } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
                LOG.log(Level.SEVERE, "Failed to continue " + call, e);
                failed.accept(MediaRefusal.INTERNAL);
            }
        }));
    }

    /** A media step that throws instead of failing its future counts as failed (never a call left hanging). */
    static CompletableFuture<String> attempt(java.util.function.Supplier<CompletableFuture<String>> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t != t.getCause()) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** What to do when a media step failed, on the call's queue. */
    @FunctionalInterface
    interface MediaFailure {
        void accept(MediaRefusal refusal);
    }

    /** A step that continues a call with the SDP the media gateway produced. */
    @FunctionalInterface
    interface SdpStep {
        void accept(String sdp) throws ParseException, SipException, InvalidArgumentException;
    }
}

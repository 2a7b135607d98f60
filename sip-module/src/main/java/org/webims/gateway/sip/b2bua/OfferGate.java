package org.webims.gateway.sip.b2bua;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.webims.gateway.sip.call.SdpLimits;
import org.webims.gateway.sip.call.SdpProblem;
import org.webims.gateway.sip.call.SdpValidator;
import org.webims.gateway.sip.logging.RateLimitedLog;

/**
 * The SDP check every offer and answer passes before the media gateway sees it ({@link SdpValidator}): what cannot
 * be served is refused with 488 and a Warning and never takes rtpengine's ports. Refusals are logged per cause at a
 * bounded rate (a client can send them as fast as it likes).
 */
final class OfferGate {
    private static final Logger LOG = Logger.getLogger(OfferGate.class.getName());
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);

    private final SdpValidator validator;

    OfferGate(SdpLimits limits) {
        this.validator = new SdpValidator(limits);
    }

    /** The refusal for an SDP body that may not reach the media gateway; empty when it may. */
    Optional<MediaRefusal> refusal(String sdp, Object where) {
        Optional<SdpProblem> problem = validator.check(sdp);
        problem.ifPresent(p -> log(p, where));
        return problem.map(MediaRefusal::badSdp);
    }

    /** The media step, or a failed future naming the problem (nothing sent) when the SDP may not pass. */
    CompletableFuture<String> checked(String sdp, Object where, Supplier<CompletableFuture<String>> step) {
        Optional<SdpProblem> problem = validator.check(sdp);
        if (problem.isPresent()) {
            log(problem.get(), where);
            return CompletableFuture.failedFuture(new RefusedSdp(problem.get()));
        }
        return MediaSteps.attempt(step);
    }

    private void log(SdpProblem problem, Object where) {
        REFUSALS.info("SDP refused " + problem.warnCode(), () -> "SDP refused in " + where + ": " + problem.text()
                + " (Warning " + problem.warnCode() + ")");
    }

    /** An SDP body the gateway would not pass on: the media step fails with it, and the peer gets 488. */
    static final class RefusedSdp extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SdpProblem problem;

        RefusedSdp(SdpProblem problem) {
            super(problem.text(), null, false, false);
            this.problem = problem;
        }
    }
}

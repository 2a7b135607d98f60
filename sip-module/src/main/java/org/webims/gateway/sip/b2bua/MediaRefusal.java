package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.Header;
import javax.sip.message.Response;
import org.webims.gateway.sip.call.SdpProblem;
import org.webims.gateway.sip.signalling.SipContext;
import org.webims.gateway.sip.media.MediaGatewayException;

/**
 * What a peer is told when an offer or answer could not pass the media gateway: the one place where media failures
 * become SIP. The offer's fault is 488 Not Acceptable Here (RFC 3261 §21.4.26), the gateway's 503 Service
 * Unavailable with Retry-After (§21.5.4, §20.33), our own 500; each with a Warning naming the cause (§20.43), never
 * rtpengine's address. The same cause goes into the Reason (RFC 3326) of a BYE when the call cannot continue.
 *
 * @param retryAfterSeconds 0 for none
 */
record MediaRefusal(int status, int warnCode, String warning, int retryAfterSeconds) {
    private static final Logger LOG = Logger.getLogger(MediaRefusal.class.getName());
    /** How long a client should wait before trying again after rtpengine did not answer or had no ports. */
    static final int RETRY_AFTER_SECONDS = SipContext.RETRY_AFTER_SECONDS;
    static final MediaRefusal UNAVAILABLE = new MediaRefusal(Response.SERVICE_UNAVAILABLE, 399,
            "media gateway unavailable", RETRY_AFTER_SECONDS);
    /** RFC 3261 §21.5.4 with Retry-After: too many commands wait for the media gateway already. */
    static final MediaRefusal SATURATED = new MediaRefusal(Response.SERVICE_UNAVAILABLE, 399,
            "media gateway saturated", RETRY_AFTER_SECONDS);
    static final MediaRefusal INTERNAL = new MediaRefusal(Response.SERVER_INTERNAL_ERROR, 399, "internal error", 0);
    /** RFC 3261 §15.1.2: a request still pending when its call ended. */
    static final MediaRefusal CALL_ENDED = new MediaRefusal(Response.REQUEST_TERMINATED, 399, "the call ended", 0);

    static MediaRefusal badSdp(SdpProblem problem) {
        return new MediaRefusal(Response.NOT_ACCEPTABLE_HERE, problem.warnCode(), problem.text(), 0);
    }

    /** The refusal for a failed media step: the future's error, whatever wraps it. */
    static MediaRefusal of(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof OfferGate.RefusedSdp refused) {
            return badSdp(refused.problem);
        }
        if (!(t instanceof MediaGatewayException m)) {
            return INTERNAL;
        }
        return switch (m.failure()) {
            case BAD_SDP -> new MediaRefusal(Response.NOT_ACCEPTABLE_HERE, 399, "the media gateway cannot read the SDP",
                    0);
            case OUT_OF_PORTS -> new MediaRefusal(Response.SERVICE_UNAVAILABLE, 399, "media gateway out of ports",
                    RETRY_AFTER_SECONDS);
            case OVERLOADED -> SATURATED;
            case UNAVAILABLE, REFUSED -> UNAVAILABLE;
        };
    }

    /**
     * Answers {@code st} with this refusal (toward the core a 503 goes as a 500 with the same headers:
     * {@link SipContext#statusToward}); a failure to send is logged, not thrown.
     */
    void answer(SipContext sip, ServerTransaction st) {
        answer(sip, st, null);
    }

    /** As {@link #answer(SipContext, ServerTransaction)}, in the early dialog {@code toTag} names when given. */
    void answer(SipContext sip, ServerTransaction st, String toTag) {
        try {
            Response response = sip.responseTo(st, SipContext.statusToward(st, status), toTag);
            response.addHeader(sip.headers.createWarningHeader(sip.settings.sipHost(), warnCode, warning));
            if (retryAfterSeconds > 0) {
                response.addHeader(sip.headers.createRetryAfterHeader(retryAfterSeconds));
            }
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not send " + status + " for " + st.getRequest().getMethod(), e);
        }
    }

    /** RFC 3326: {@code Reason: SIP;cause=503;text="media gateway unavailable"} for the BYE that ends the call. */
    Header reason(SipContext sip) throws ParseException {
        return sip.headers.createHeader("Reason", "SIP;cause=" + status + ";text=\"" + warning.replace("\"", "'")
                + "\"");
    }
}

package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;
import org.webims.gateway.sip.call.AnswerCompletion;
import org.webims.gateway.sip.call.EarlyMediaGate;
import org.webims.gateway.sip.call.SdpSummary;
import org.webims.gateway.sip.call.SessionTimer;
import org.webims.gateway.sip.media.MediaGateway;
import org.webims.gateway.sip.media.Side;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * The called side's answers to the initial INVITE, relayed to the caller (RFC 3261 §13.2.2): provisional ones with
 * early media (gated by P-Early-Media, RFC 5009; reliably when asked, RFC 3262), the 2xx through the media gateway,
 * a refusal with what explains it. The answer confirms the call and starts its longest-call timer.
 */
final class AnswerRelay {
    private static final Logger LOG = Logger.getLogger(AnswerRelay.class.getName());
    private final SipContext sip;
    private final MediaGateway media;
    private final OfferGate offers;
    private final LegSignals signals;
    private final ReliableProvisionals reliable;
    private final SessionRefresher refresher;
    private final MediaSteps steps;
    private final Teardown teardown;
    private final CallDurationLimit durationLimit;
    private final CallEvents events;
    private final Announcer announcement;
    private final QosGate qos;
    private final PrackTimeout prackTimeout;
    private final Clock clock;

    AnswerRelay(SipContext sip, MediaGateway media, OfferGate offers, LegSignals signals,
            ReliableProvisionals reliable, SessionRefresher refresher, MediaSteps steps, Teardown teardown,
            CallDurationLimit durationLimit, CallEvents events, Announcer announcement, QosGate qos,
            PrackTimeout prackTimeout, Clock clock) {
        this.qos = qos;
        this.prackTimeout = prackTimeout;
        this.announcement = announcement;
        this.sip = sip;
        this.media = media;
        this.offers = offers;
        this.signals = signals;
        this.reliable = reliable;
        this.refresher = refresher;
        this.steps = steps;
        this.teardown = teardown;
        this.durationLimit = durationLimit;
        this.events = events;
        this.clock = clock;
    }

    /** RFC 3261 §13.2.2: provisional and final answers to the initial INVITE of the called leg. */
    void onResponse(Call call, Leg called, Response response)
            throws ParseException, SipException, InvalidArgumentException {
        int status = response.getStatusCode();
        Leg calling = call.other(called);
        if (status == Response.TRYING) {
            return;
        }
        if (!call.isLive()) {
            if (status / 100 == 2) {
                teardown.releaseLateAnswer(call, called, response); // RFC 3261 §15: a 2xx that crossed our CANCEL
            }
            return;
        }
        String answered = SipBodies.sdp(response);
        String sdp = answered != null && called.offered != null
                ? AnswerCompletion.complete(called.offered, answered) : answered;
        if (status < 200) {
            provisional(call, called, calling, response, sdp);
        } else if (status < 300) {
            success(call, called, calling, response, sdp);
        } else {
            called.inviteClient = null;
            Runnable refuse = () -> {
                try {
                    refuseCalling(calling, response);
                } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
                    LOG.log(Level.WARNING, "Could not pass on the " + status + " of " + call, e);
                }
                teardown.refusedByCalled(call, status);
            };
            if (!announcement.announce(call, status, refuse)) { // TS 22.228 §11.2: a tone or announcement first
                refuse.run();
            }
        }
    }

    private void provisional(Call call, Leg called, Leg calling, Response response, String sdp)
            throws ParseException, SipException, InvalidArgumentException {
        int status = response.getStatusCode();
        if (called.inviteClient == null || ReliableProvisionals.isRetransmission(called, response)) {
            return; // after the answer, or a reliable 18x seen before (RFC 3262 §4)
        }
        call.early();
        // Our INVITE had no offer: the client's 2xx carries it, and an 18x's SDP is not relayed (RFC 3264 §5).
        String early = called.offered == null ? null : sdp;
        boolean passedOn = ReliableProvisionals.isReliable(response)
                && reliable.onReliable(call, called, calling, response);
        if (!passedOn && calling.requiresReliable && !reliable.takeOwnReliable(calling)) {
            return; // RFC 3262 §3: one unacknowledged reliable 18x at a time toward this client; withheld
        }
        boolean reliably = passedOn || calling.requiresReliable;
        boolean gatedOff = called.side == Side.IMS
                && !EarlyMediaGate.allowsTowardUser(LegSignals.headerValue(response, B2bua.P_EARLY_MEDIA));
        if (early == null || gatedOff) {
            answerCalling(call, calling, status, response.getReasonPhrase(), null, reliably);
        } else {
            called.media = SdpSummary.parse(early);
            steps.then(call, offers.checked(early, call, () -> media.answer(call.mediaFrom(calling), early,
                    calling.side)), relayed -> answerCalling(call, calling, status, response.getReasonPhrase(),
                            relayed, reliably));
        }
    }

    private void success(Call call, Leg called, Leg calling, Response response, String sdp)
            throws ParseException, SipException, InvalidArgumentException {
        String branch = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
        if (called.inviteClient == null) {
            if (called.answeredBy != null && !called.answeredBy.equals(branch)) {
                // RFC 3261 §13.2.2.4: another branch's 2xx that the stack gave no dialog of its own (two 2xx raced):
                // each copy ACKed, the branch ended with one BYE
                boolean first = called.releasedBranches.add(branch);
                if (first) {
                    LOG.info(() -> "Releasing a second answer from forked branch " + branch + " of " + call);
                }
                signals.ackAndByeUnbound(call, called, response, first);
            }
            return; // else a retransmission of the 2xx we already took
        }
        called.inviteClient = null;
        called.answeredBy = branch;
        if (called.offered == null && sdp != null) {
            answerWithLateOffer(call, called, calling, response, sdp);
            return;
        }
        signals.ack(called, response);
        called.media = sdp == null ? called.media : SdpSummary.parse(sdp);
        called.partySent(sdp, false);
        if (sdp == null) {
            teardown.fail(call, new MediaRefusal(Response.NOT_ACCEPTABLE_HERE, 399,
                    "the called party answered without SDP", 0));
            return;
        }
        if (called.side == Side.IMS) {
            // RFC 4028 §7.2: the core's 2xx says who refreshes; we sent the INVITE, so we are the UAC.
            SessionTimer.parse(LegSignals.headerValue(response, B2bua.SESSION_EXPIRES), true)
                    .filter(SessionTimer::refresherIsUac)
                    .ifPresent(timer -> refresher.schedule(call, called, timer));
        }
        steps.then(call, offers.checked(sdp, call, () -> media.answer(call.mediaFrom(calling), sdp, calling.side)),
                answer -> answerCalling(call, calling, Response.OK, null, answer));
    }

    /**
     * The 2xx to our offerless INVITE carries the called party's offer (RFC 3264 §5): it goes through the media
     * gateway to the calling side in our 2xx, and the ACK toward the called leg waits for the answer that the
     * calling side's ACK brings ({@code DialogRelay.ackWithAnswer}).
     */
    private void answerWithLateOffer(Call call, Leg called, Leg calling, Response response, String offer) {
        called.offerAwaitingAck = response;
        called.media = SdpSummary.parse(offer);
        called.partySent(offer, true);
        steps.then(call, offers.checked(offer, call, () -> media.offerInCall(call.mediaFrom(called), offer,
                calling.side)),
                relayed -> answerCalling(call, calling, Response.OK, null, relayed), refusal -> {
                    // RFC 3261 §13.2.2.4: the 2xx is acknowledged before the leg is ended with BYE (by the call's
                    // end already, when that came first)
                    signals.ackHeldDeclining(call, called);
                    if (refusal != MediaRefusal.CALL_ENDED) { // else its end already sent the BYE
                        teardown.fail(call, refusal);
                    }
                });
    }

    /** The caller has our 2xx (not when it is only held for a PRACK): the call is answered from now on. */
    private void confirmed(Call call) {
        if (call.confirm(clock.instant())) {
            LOG.fine(() -> "Answered " + call);
            durationLimit.start(call);
            events.answered(call);
            qos.changed(call); // TS 29.214 §4.4.2: the answer completes the flows
        }
    }

    void answerCalling(Call call, Leg calling, int status, String reason, String sdp)
            throws ParseException, SipException, InvalidArgumentException {
        answerCalling(call, calling, status, reason, sdp, false);
    }

    /**
     * Sends a response to the calling leg's INVITE, with our tag, our Contact and the given SDP (the call's declined
     * streams at port 0, named in a Warning); a provisional one {@code reliably} (RFC 3262 §3: Require 100rel and
     * RSeq, retransmitted by the stack until PRACKed).
     */
    private void answerCalling(Call call, Leg calling, int status, String reason, String sdp, boolean reliably)
            throws ParseException, SipException, InvalidArgumentException {
        ServerTransaction st = calling.inviteServer;
        if (st == null) {
            return;
        }
        if (status / 100 == 2 && (calling.prackAwaited != null || calling.ownReliableUnacked)) {
            // RFC 3262 §3: the stack may not send a 2xx while our reliable 18x is unacknowledged; it goes on PRACK.
            calling.heldForPrack = () -> answerCalling(call, calling, status, reason, sdp, false);
            return;
        }
        Response response = reliably ? calling.dialog.createReliableProvisionalResponse(status)
                : sip.messages.createResponse(status, st.getRequest());
        if (reason != null) {
            response.setReasonPhrase(reason);
        }
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(calling.localTag);
        if (status < 300) {
            response.addHeader(sip.headers.createContactHeader(signals.ourContact(calling.side)));
            if (status >= 200 && calling.side == Side.IMS) {
                refresher.keepCoreRefreshing(st.getRequest(), response);
            }
        }
        String shaped = call.shaped(sdp);
        if (shaped != null) {
            SipBodies.setSdp(response, sip.headers, shaped);
            calling.earlyMediaSent |= status < 200;
            calling.media = SdpSummary.parse(shaped);
            calling.weSent(shaped, calling.partySdp == null); // our offer when its INVITE had none
            if (status >= 200 && call.declinedIn(sdp)) {
                response.addHeader(sip.headers.createWarningHeader(sip.settings.sipHost(), 399,
                        call.declineWarning())); // RFC 3261 §20.43: why a stream was declined
            }
        }
        if (reliably) {
            calling.dialog.sendReliableProvisionalResponse(response);
            prackTimeout.arm(call, calling);
        } else {
            SipContext.send(st, response);
        }
        if (status >= 200) {
            calling.answered();
        }
        if (status / 100 == 2) {
            confirmed(call); // RFC 3261 §13.2.2.4: the 2xx has left toward the caller
        }
    }

    /** The called side refused: the caller gets the same status with what explains it (Warning, Reason, ...). */
    private void refuseCalling(Leg calling, Response refusal) throws ParseException, SipException,
            InvalidArgumentException {
        ServerTransaction st = calling.inviteServer;
        if (st == null) {
            return;
        }
        Response response = sip.messages.createResponse(SipContext.statusToward(st, refusal.getStatusCode()),
                st.getRequest());
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(calling.localTag);
        RefusalExplanation.passOn(refusal, response);
        st.sendResponse(response);
        calling.answered();
    }
}

package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.ports.call.Party;
import org.webims.gateway.sip.call.AnswerCompletion;
import org.webims.gateway.sip.call.SdpSummary;
import org.webims.gateway.sip.signalling.SipContext;
import org.webims.gateway.sip.media.MediaGateway;
import org.webims.gateway.sip.media.Side;

/**
 * Requests within an established call, relayed from one leg's dialog to the other's (RFC 3261 §12.2, §14): SDP
 * offers and answers through the media gateway (hold, resume, codec change, offerless re-INVITE), other bodies as
 * they are.
 */
final class DialogRelay {
    private static final Logger LOG = Logger.getLogger(DialogRelay.class.getName());
    private static final String PREVIOUS_OFFER_PENDING = "the previous offer is still being answered";
    private final SipContext sip;
    private final MediaGateway media;
    private final LegSignals signals;
    private final OfferGate offers;
    private final MediaSteps steps;
    private final Teardown teardown;
    private final CallEvents events;
    private final Announcer announcer;
    private final QosGate qos;

    DialogRelay(SipContext sip, MediaGateway media, LegSignals signals, OfferGate offers, MediaSteps steps,
            Teardown teardown, CallEvents events, Announcer announcer, QosGate qos) {
        this.qos = qos;
        this.announcer = announcer;
        this.sip = sip;
        this.media = media;
        this.signals = signals;
        this.offers = offers;
        this.steps = steps;
        this.teardown = teardown;
        this.events = events;
    }

    /**
     * An ACK for a 2xx we sent. Usually nothing is left to do (the other leg was acknowledged when its 2xx came);
     * after an offerless re-INVITE the ACK carries the answer, which the other leg's ACK must carry too.
     */
    void ackWithAnswer(Call call, Leg leg, Leg other, Request ack)
            throws SipException, InvalidArgumentException {
        signals.answerReinviteAwaitingAck(leg, Response.REQUEST_PENDING, PREVIOUS_OFFER_PENDING); // its ACK is here
        if (other == null || other.offerAwaitingAck == null) {
            return;
        }
        Response offer = other.offerAwaitingAck;
        String answer = SipBodies.sdp(ack);
        if (answer == null) {
            other.offerAwaitingAck = null;
            signals.ack(other, offer); // RFC 3264 §5: no answer; the session stays as it was
            return;
        }
        // held until the media step ends: a call ended meanwhile ACKs it before its BYE (LegSignals.release)
        steps.then(call, offers.checked(answer, call, () -> media.answer(call.mediaFrom(other), answer,
                other.side)), sdp -> {
                    if (other.offerAwaitingAck != offer) {
                        return; // acknowledged by the call's end meanwhile
                    }
                    other.offerAwaitingAck = null;
                    // a re-INVITE of this party that came after its ACK, while the answer was on its way to the media
                    // gateway, was held too: its ACK is taken, so 491 now
                    signals.answerReinviteAwaitingAck(leg, Response.REQUEST_PENDING, PREVIOUS_OFFER_PENDING);
                    settled(call, leg, answer, other, call.shaped(sdp));
                    long cseq = ((CSeqHeader) offer.getHeader(CSeqHeader.NAME)).getSeqNumber();
                    Request out = other.dialog.createAck(cseq);
                    SipBodies.setSdp(out, sip.headers, call.shaped(sdp));
                    if (other.side == Side.IMS) {
                        sip.routeTowardCore(out); // an ACK with an answer may be large too (RFC 3261 §18.1.1)
                    }
                    other.route(out);
                    other.dialog.sendAck(out);
                }, refusal -> {
                    signals.ackHeldDeclining(call, other); // no answer to give: ACK, then BYE (RFC 3261 §13.2.2.4)
                    abandonDisagreeing(call, refusal);
                });
    }

    /**
     * Relays a mid-dialog request to the other leg's dialog. An SDP offer in a re-INVITE or UPDATE goes through the
     * media gateway first (hold, resume, codec change).
     */
    void relay(Call call, Leg from, Leg to, ServerTransaction st, Request request)
            throws ParseException, SipException, InvalidArgumentException {
        if (to == null || to.dialog == null || !call.isConfirmed() && !isEarlyUpdate(request)) {
            sip.respondWithWarning(st, Response.REQUEST_PENDING, null, "the call is not established yet");
            return;
        }
        if (Request.INVITE.equals(request.getMethod()) && to.offerAwaitingAck != null) {
            // RFC 3261 §14.1: our INVITE transaction on that leg is not over until its 2xx is ACKed, which waits for
            // this party's ACK: 491 once that ACK has come (LegSignals.answerReinviteAwaitingAck)
            if (from.reinviteAwaitingAck != null) { // a guard: the stack answers 491 itself while one is proceeding
                sip.respondWithWarning(st, Response.REQUEST_PENDING, null, PREVIOUS_OFFER_PENDING);
            } else {
                from.reinviteAwaitingAck = st;
            }
            return;
        }
        String offer = SipBodies.sdp(request);
        Optional<MediaRefusal> unservable = offer == null ? Optional.empty() : offers.refusal(offer, call);
        if (unservable.isPresent()) {
            unservable.get().answer(sip, st); // RFC 3261 §14.2: refused, the session stays as it was
            return;
        }
        Request out = to.dialog.createRequest(request.getMethod());
        for (String name : List.of("Event", "Subscription-State", "Refer-To", "Referred-By", "Info-Package",
                "Content-Disposition")) {
            LegSignals.copyHeader(request, out, name);
        }
        if (Request.INVITE.equals(request.getMethod())) {
            out.setHeader(sip.headers.createContactHeader(signals.ourContact(to.side)));
        }
        LegTransaction lt = new LegTransaction(call, to, LegTransaction.Purpose.RELAY, st, from);
        if (offer != null) {
            steps.then(call, MediaSteps.attempt(() -> media.reoffer(call.mediaFrom(from), offer, to.side,
                    to.media.audioInUse())), sdp -> {
                to.pendingOffer = call.shaped(sdp);
                from.partySent(offer, true);
                to.weSent(to.pendingOffer, true);
                SipBodies.setSdp(out, sip.headers, to.pendingOffer);
                signals.sendInDialog(to, out, lt);
            }, refusal -> {
                // RFC 3261 §14.2: the other leg never saw the re-offer; refused, the call goes on as it was.
                LOG.fine(() -> request.getMethod() + " in " + call + " refused with " + refusal.status() + " ("
                        + refusal.warning() + "); the call goes on unchanged");
                refusal.answer(sip, st);
            });
        } else {
            SipBodies.copyBody(request, out);
            signals.sendInDialog(to, out, lt);
        }
    }

    private static boolean isEarlyUpdate(Request request) {
        return Request.UPDATE.equals(request.getMethod()) || Request.INFO.equals(request.getMethod());
    }

    void relayResponse(LegTransaction lt, Response response)
            throws ParseException, SipException, InvalidArgumentException {
        int status = response.getStatusCode();
        if (status < 200) {
            return; // provisional answers to mid-dialog requests stay on their leg
        }
        String method = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
        String answered = SipBodies.sdp(response);
        boolean offerless = SipBodies.sdp(lt.originServer().getRequest()) == null;
        String pendingOffer = lt.leg().pendingOffer;
        lt.leg().pendingOffer = null;
        // RFC 3264 §8: the answer to our re-offer has its m-lines; a phone that left one out gets it declined
        String sdp = answered != null && !offerless && pendingOffer != null
                ? AnswerCompletion.complete(pendingOffer, answered) : answered;
        Response out = sip.messages.createResponse(SipContext.statusToward(lt.originServer(), status),
                lt.originServer().getRequest());
        if (Request.INVITE.equals(method) && status < 300 && offerless && sdp != null) {
            // RFC 3264 §5: the 2xx of an offerless re-INVITE is the offer; its ACK will bring the answer.
            lt.leg().offerAwaitingAck = response;
            lt.leg().partySent(sdp, true);
            out.addHeader(sip.headers.createContactHeader(signals.ourContact(lt.origin().side)));
            steps.then(lt.call(), offers.checked(sdp, lt.call(), () -> media.reoffer(
                    lt.call().mediaFrom(lt.leg()), sdp, lt.origin().side, lt.origin().media.audioInUse())), offer -> {
                        SipBodies.setSdp(out, sip.headers, lt.call().shaped(offer));
                        lt.origin().weSent(lt.call().shaped(offer), true);
                        SipContext.send(lt.originServer(), out);
                    }, refusal -> {
                        signals.ackHeldDeclining(lt.call(), lt.leg());
                        refuseAccepted(lt, refusal);
                    });
            return;
        }
        if (Request.INVITE.equals(method) && status < 300) {
            signals.ack(lt.leg(), response);
        }
        out.setReasonPhrase(response.getReasonPhrase());
        if (status < 300 && Request.INVITE.equals(method)) {
            out.addHeader(sip.headers.createContactHeader(signals.ourContact(lt.origin().side)));
        }
        if (sdp != null && status < 300) {
            steps.then(lt.call(), offers.checked(sdp, lt.call(), () -> media.answer(
                    lt.call().mediaFrom(lt.origin()), sdp, lt.origin().side)), answer -> {
                        settled(lt.call(), lt.leg(), sdp, lt.origin(), lt.call().shaped(answer));
                        SipBodies.setSdp(out, sip.headers, lt.call().shaped(answer));
                        String reoffer = SipBodies.sdp(lt.originServer().getRequest()); // read before the stack lets go
                        SipContext.send(lt.originServer(), out);
                        announcer.reoffered(lt.call(), lt.origin(), reoffer);
                    }, refusal -> refuseAccepted(lt, refusal));
        } else {
            if (status >= 300) {
                RefusalExplanation.passOn(response, out); // e.g. 488 to a re-INVITE with its Warning
            } else {
                SipBodies.copyBody(response, out);
            }
            SipContext.send(lt.originServer(), out);
        }
    }

    /**
     * A media step failed after the other leg accepted the re-offer (its 2xx): the request that made it still gets
     * a final answer, the refusal; the legs no longer agree on the session, so the call ends on both with BYE and a
     * Reason (RFC 3261 §14.2 leaves the refused side's session as it was, but not the other's).
     */
    private void refuseAccepted(LegTransaction lt, MediaRefusal refusal) {
        refusal.answer(sip, lt.originServer());
        abandonDisagreeing(lt.call(), refusal);
    }

    private void abandonDisagreeing(Call call, MediaRefusal refusal) {
        if (refusal != MediaRefusal.CALL_ENDED) {
            String why = "a re-offer accepted on one leg could not pass the media gateway (" + refusal.warning() + ")";
            Header reason = null;
            try {
                reason = refusal.reason(sip);
            } catch (ParseException e) {
                LOG.log(Level.FINE, "No Reason for the BYE of " + call, e);
            }
            teardown.abandon(call, new CallEnd(EndCause.MEDIA_FAILURE, Party.GATEWAY, refusal.status(), why), reason);
        }
    }

    /** An answer relayed in dialog: what each leg now uses, for the next re-offer, the call list and charging. */
    private void settled(Call call, Leg answering, String answer, Leg offering, String rewritten) {
        answering.media = SdpSummary.parse(answer);
        offering.media = SdpSummary.parse(rewritten);
        answering.partySent(answer, false);
        offering.weSent(rewritten, false);
        events.mediaChanged(call);
        qos.changed(call);
    }
}

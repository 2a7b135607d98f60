package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.Header;
import javax.sip.message.Response;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.ports.call.Party;
import org.webims.gateway.ports.qos.QosControl;
import org.webims.gateway.sip.admission.CallCounts;
import org.webims.gateway.sip.admission.Verdict;
import org.webims.gateway.sip.media.MediaGateway;
import org.webims.gateway.sip.media.Side;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * How calls end: CANCEL and BYE from either side, refusals, timeouts, failures and the gateway's own releases. Every
 * path ends in {@link #end}, the one place a call leaves the registry, releases what it reserved, loses its media
 * session and is reported ended with a typed cause. Runs on the call's serial queue.
 */
final class Teardown {
    private static final Logger LOG = Logger.getLogger(Teardown.class.getName());
    private final SipContext sip;
    private final LegSignals signals;
    private final CallRegistry calls;
    private final CallCounts counts;
    private final MediaGateway media;
    private final CallEvents events;
    private final Announcer announcement;
    private final QosControl qos;

    Teardown(SipContext sip, LegSignals signals, CallRegistry calls, CallCounts counts, MediaGateway media,
            CallEvents events, Announcer announcement, QosControl qos) {
        this.qos = qos;
        this.announcement = announcement;
        this.sip = sip;
        this.signals = signals;
        this.calls = calls;
        this.counts = counts;
        this.media = media;
        this.events = events;
    }

    /** RFC 3261 §9.2: 200 to the CANCEL, 487 to the INVITE, CANCEL on the other leg. */
    void cancel(Call call, Leg leg, Leg other, ServerTransaction st) throws SipException {
        sip.respond(st, Response.OK, null);
        if (leg.inviteServer == null) {
            return; // already answered: the caller will ACK and BYE
        }
        sip.respond(leg.inviteServer, Response.REQUEST_TERMINATED, null, leg.localTag);
        leg.answered();
        if (other != null) {
            signals.release(call, other);
        } // else admission or the media gateway is still preparing the offer: the other leg will never be started
        end(call, CallEnd.cancel(party(leg)));
    }

    /**
     * RFC 3261 §15.1.2: 200 to the BYE, and the other leg ended whatever point it reached. The 200 goes last, once
     * the call is out of the registry and its reservations released: a client may start its next call on receiving
     * it, and a simultaneous-call limit must already count this one as ended (another call's INVITE runs on another
     * worker).
     */
    void bye(Call call, Leg leg, Leg other, ServerTransaction st) throws SipException {
        try {
            endByBye(call, leg, other);
        } finally {
            sip.respond(st, Response.OK, null);
        }
    }

    private void endByBye(Call call, Leg leg, Leg other) throws SipException {
        if (leg.inviteServer != null) {
            // RFC 3261 §15.1.2: a BYE in the early dialog (our announcement's 183) ends the INVITE it came with: 487
            sip.respond(leg.inviteServer, Response.REQUEST_TERMINATED, null, leg.localTag);
            leg.answered();
        }
        if (other != null) {
            if (other.inviteServer != null) {
                sip.respond(other.inviteServer, Response.REQUEST_TERMINATED, null, other.localTag);
                other.answered();
            } else if (other.inviteClient != null) {
                signals.cancelPendingInvite(call, other);
            } else {
                signals.ackHeldDeclining(call, other); // RFC 3261 §13.2.2.4: its 2xx ACKed before the BYE
                signals.sendBye(call, other);
            }
        }
        end(call, CallEnd.bye(party(leg)));
    }

    /**
     * Admission refused the call: the caller gets the status and a Warning naming the layer (RFC 3261 §20.43), after
     * the cause's tone or announcement where one is configured (TS 22.228 §11.2).
     */
    void refuse(Call call, Verdict.Refuse refusal) {
        // the gateway's own 5xx (the core, charging or the PCRF unreachable, overload) is answered at once: an
        // announcement would take a media session for seconds just when new work must be refused early (RFC 7339)
        if (refusal.status() >= 500
                || !announcement.announce(call, refusal.status(), () -> refuseNow(call, refusal))) {
            refuseNow(call, refusal);
        }
    }

    private void refuseNow(Call call, Verdict.Refuse refusal) {
        Leg calling = call.calling();
        if (calling.inviteServer != null) {
            // toward the core a 503 about one call goes as a 500 (SipContext.fromCore)
            sip.respondWithWarning(calling.inviteServer, refusal.status(), refusal.reason(), refusal.warning(),
                    calling.localTag);
            calling.answered();
        }
        end(call, CallEnd.refused(Party.GATEWAY, refusal.status(), refusal.warning()));
    }

    /** The gateway refused the call with a final status it sent itself (the emergency 380). */
    void refusedByGateway(Call call, int status, String why) {
        end(call, CallEnd.refused(Party.GATEWAY, status, why));
    }

    /** The called side refused with a final status (RFC 3261 §13.2.2.3), already passed on to the caller. */
    void refusedByCalled(Call call, int status) {
        end(call, CallEnd.refused(party(call.called()), status, "refused with " + status));
    }

    /** A failure of a media step before or after the answer: see {@link #fail(Call, MediaRefusal, CallEnd)}. */
    void fail(Call call, MediaRefusal refusal) {
        fail(call, refusal, new CallEnd(EndCause.MEDIA_FAILURE, Party.GATEWAY, refusal.status(), refusal.warning()));
    }

    /** No final answer in time (RFC 3261 §17.1.1.2): the caller gets 408. */
    void timedOut(Call call, Side silent) {
        String why = "no answer from the " + silent + " side";
        fail(call, new MediaRefusal(Response.REQUEST_TIMEOUT, 399, why, 0),
                new CallEnd(EndCause.TIMEOUT, silent == Side.IMS ? Party.IMS : Party.WEBRTC, Response.REQUEST_TIMEOUT,
                        why));
    }

    /** A failure before the answer: the calling leg gets the refusal, the called leg a CANCEL (or BYE). */
    void fail(Call call, MediaRefusal refusal, CallEnd how) {
        Leg calling = call.calling();
        if (calling.inviteServer != null) {
            refusal.answer(sip, calling.inviteServer, calling.localTag); // after its 18x, if any: the same tag
            calling.answered();
        }
        Leg called = call.called();
        if (called != null) {
            try {
                signals.release(call, called);
            } catch (SipException | RuntimeException e) {
                LOG.log(Level.FINE, "Could not end the " + called + " of " + call, e);
            }
        }
        end(call, how);
    }

    /**
     * Ends a call from the gateway's side whatever state each leg is in: a pending INVITE gets 480 with the cause as
     * Warning, a dialog a BYE with {@code reason} (RFC 3326) when given; a leg whose flow closed is not told.
     */
    void abandon(Call call, CallEnd how, Header reason) {
        if (!call.isLive()) {
            return;
        }
        for (Leg leg : new Leg[] {call.webrtc, call.ims}) {
            if (leg == null || leg.flow != null && !leg.flow.connection().isOpen()) {
                continue;
            }
            try {
                if (leg.inviteServer != null) {
                    sip.respondWithWarning(leg.inviteServer, Response.TEMPORARILY_UNAVAILABLE, null, how.detail(),
                            leg.localTag);
                    leg.answered();
                } else {
                    signals.release(call, leg, reason);
                }
            } catch (SipException | RuntimeException e) {
                LOG.log(Level.FINE, "Could not end the " + leg + " of " + call, e);
            }
        }
        end(call, how);
    }

    void abandon(Call call, CallEnd how) {
        abandon(call, how, null);
    }

    /** The client's WebSocket closed: the call ends toward the core with BYE or CANCEL (RFC 5626 §5.3). */
    void flowClosed(Call call) {
        abandon(call, new CallEnd(EndCause.FLOW_CLOSED, Party.WEBRTC, 0, "the WebSocket closed"));
    }

    /** Answers a request with a bare status (a failure to send is logged by the context). */
    void respond(ServerTransaction st, int status) {
        sip.respond(st, status, null);
    }

    /** RFC 3326: the Reason of the BYEs of a call the gateway releases, e.g. {@code SIP;cause=403;text="..."}. */
    Header reason(int sipCause, String text) {
        try {
            return sip.headers.createHeader("Reason", "SIP;cause=" + sipCause + ";text=\"" + text.replace("\"", "'")
                    + "\"");
        } catch (ParseException e) {
            return null;
        }
    }

    /** The call is over: out of the registry, its reservations released, its media session deleted, reported. */
    void end(Call call, CallEnd how) {
        if (!call.end(how)) {
            return;
        }
        calls.remove(call);
        if (call.reservation() != null) {
            counts.release(call.reservation());
        }
        if (call.durationLimit != null) {
            call.durationLimit.cancel(false);
        }
        if (call.qosRequested) {
            qos.release(call.id); // TS 29.214 §4.4.4: STR
        }
        for (Leg leg : new Leg[] {call.webrtc, call.ims}) {
            if (leg == null) {
                continue;
            }
            leg.cancelPrackTimeout();
            if (leg.sessionRefresh != null) {
                leg.sessionRefresh.cancel(false);
            }
            // RFC 3261 §15.1.2: a request still pending in a dialog that ends gets 487
            signals.answerReinviteAwaitingAck(leg, Response.REQUEST_TERMINATED, "the call has ended");
            // The stack keeps a dialog until it sees it end; one whose peer vanished (a closed WebSocket) never
            // would. Transactions still open on it (a BYE just sent) complete on their own.
            for (Dialog dialog : leg.dialogs()) {
                if (dialog.getState() != DialogState.TERMINATED) {
                    dialog.delete();
                }
            }
        }
        // a call refused at admission was never announced: its refusal is logged at a bounded rate instead.
        // One INFO line per call, at its end, with what the others (FINE) said: a line per step of every call was
        // the hottest frame of the call profile (issue 14).
        LOG.log(call.policy() != null ? Level.INFO : Level.FINE, () -> "Ended " + call + " ("
                + call.webrtc.flow.describe() + ", " + (call.answeredAt() != null ? "answered" : "never answered")
                + "): " + how);
        if (call.policy() != null || call.announced) { // only then was the media gateway asked
            deleteMedia(call, Level.WARNING);
        }
        events.ended(call, how);
    }

    void deleteMedia(Call call, Level failureLevel) {
        media.delete(call.mediaFrom(call.webrtc)).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.log(failureLevel, () -> "Media session of " + call + " not deleted: " + error.getMessage());
            }
        });
    }

    /**
     * The 2xx that crossed our CANCEL, or came after the call ended for another reason (RFC 3261 §15): acknowledged
     * and ended with BYE, through the leg's dialog when it can, else built from the 2xx itself.
     */
    void releaseLateAnswer(Call call, Leg called, Response ok)
            throws SipException, javax.sip.InvalidArgumentException, java.text.ParseException {
        String branch = ((javax.sip.header.ToHeader) ok.getHeader(javax.sip.header.ToHeader.NAME)).getTag();
        boolean first = branch == null || called.releasedBranches.add(branch); // a retransmission is only ACKed
        try {
            signals.ack(called, ok); // through the dialog: its route set, the callee's target, the client's flow
            if (first) {
                signals.sendBye(call, called);
            }
        } catch (SipException e) {
            // the dialog is gone or never learnt the callee's target (no 1xx with a tag before the call ended)
            signals.ackAndByeUnbound(call, called, ok, first);
        }
    }

    static Party party(Leg leg) {
        return leg.side == Side.IMS ? Party.IMS : Party.WEBRTC;
    }
}

package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderAddress;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.ports.call.Party;
import org.webims.gateway.sip.admission.Verdict;
import org.webims.gateway.sip.call.SdpSummary;
import org.webims.gateway.sip.call.StreamDecline;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.media.MediaGateway;
import org.webims.gateway.sip.media.Side;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.signalling.ChargingVector;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * An initial INVITE from the core for a WebRTC client's flow (TS 24.229 §5.2.7.3 terminating): admitted for the
 * called client (its policy, and video only if it registered able to take it), its offer through the media gateway,
 * then our own INVITE down the client's flow.
 */
final class TerminatingSetup {
    private static final Logger LOG = Logger.getLogger(TerminatingSetup.class.getName());
    private final SipContext sip;
    private final MediaGateway media;
    private final CallRegistry calls;
    private final RegistrationStore registrations;
    private final CallAdmission admission;
    private final MediaSteps steps;
    private final Teardown teardown;
    private final LegSignals signals;
    private final CallEvents events;
    private final CreditGate credit;
    private final QosGate qos;
    private final Clock clock;

    TerminatingSetup(SipContext sip, MediaGateway media, CallRegistry calls, RegistrationStore registrations,
            CallAdmission admission, MediaSteps steps, Teardown teardown, LegSignals signals, CallEvents events,
            CreditGate credit, QosGate qos, Clock clock) {
        this.qos = qos;
        this.credit = credit;
        this.sip = sip;
        this.media = media;
        this.calls = calls;
        this.registrations = registrations;
        this.admission = admission;
        this.steps = steps;
        this.teardown = teardown;
        this.signals = signals;
        this.events = events;
        this.clock = clock;
    }

    void terminate(ServerTransaction st, Request invite, Flow flow)
            throws ParseException, SipException, InvalidArgumentException {
        if (flow.isGuest()) {
            // TS 24.371 scenario 3: an anonymous guest places calls; nobody can call it
            sip.respondWithWarning(st, Response.FORBIDDEN, null, "an anonymous guest cannot be called");
            return;
        }
        String offer = SipBodies.sdp(invite);
        if (admission.unservable(st, offer, "an INVITE from the core for " + flow.describe())
                || admission.overloaded(st, "an INVITE from the core for " + flow.describe())) {
            return;
        }
        sip.respond(st, Response.TRYING, null);
        Leg ims = new Leg(Side.IMS, B2bua.callIdOf(invite), null, null);
        ims.inviteServer = st;
        ims.dialog = sip.provider.getNewDialog(st);
        ims.localTag = B2bua.newTag();
        ims.media = SdpSummary.parse(offer);
        Leg webrtc = new Leg(Side.WEBRTC, sip.provider.getNewCallId().getCallId(), flow, sip.flowHop(flow));
        webrtc.localTag = B2bua.newTag();
        Optional<Binding> binding = registrations.forFlow(flow.id());
        String called = binding.map(Binding::defaultIdentity).orElse(invite.getRequestURI().toString());
        // A spiral (one of our own clients calling another) shares the originating call's queue.
        Call call = new Call(B2bua.newCallId(), calls.keyFor(ims.sipCallId), CallDirection.TERMINATING, webrtc,
                clock.instant(), asserted(invite), invite.getRequestURI().toString(), called,
                ChargingVector.icidOf(invite).orElseGet(ChargingVector::newIcid)); // RFC 7315 §5.6: the core's ICID
        call.ims = ims;
        calls.add(call);
        calls.addLeg(call, ims);
        events.attempted(call);
        boolean clientVideo = flow.takesVideo(); // RFC 3840 §9: what it said at REGISTER
        admission.decide(call, admission.subject(called, flow), null, StreamDecline.kinds(offer), clientVideo, null,
                verdict -> {
                    if (verdict instanceof Verdict.Refuse refusal) {
                        teardown.refuse(call, refusal); // logged at a bounded rate by the admission
                        return;
                    }
                    LOG.fine(() -> "New " + call + " toward " + flow.describe()); // its end is logged at INFO
                    credit.then(call, () -> {
                        if (offer == null) {
                            // RFC 3264 §5: the client's 2xx will carry the offer; through the steps so a failure
                            // ends it.
                            steps.then(call, CompletableFuture.completedFuture(null), none -> qos.then(call, null,
                                    nothing -> inviteClient(call, invite, null)));
                        } else {
                            steps.then(call, MediaSteps.attempt(() -> media.offer(call.mediaFrom(ims), offer,
                                    Side.WEBRTC)),
                                    webrtcOffer -> {
                                        call.webrtc.weSent(call.shaped(webrtcOffer), true);
                                        qos.then(call, call.shaped(webrtcOffer), sdp -> inviteClient(call, invite,
                                                sdp));
                                    });
                        }
                    });
                });
    }

    /** The INVITE of the WebRTC leg, down the client's flow whatever its Contact's .invalid host. */
    private void inviteClient(Call call, Request original, String sdp)
            throws ParseException, InvalidArgumentException, SipException {
        Leg webrtc = call.webrtc;
        FromHeader from = sip.headers.createFromHeader(
                (Address) ((FromHeader) original.getHeader(FromHeader.NAME)).getAddress().clone(),
                webrtc.localTag);
        ToHeader to = sip.headers.createToHeader(
                (Address) ((ToHeader) original.getHeader(ToHeader.NAME)).getAddress().clone(), null);
        CallIdHeader callId = sip.headers.createCallIdHeader(webrtc.sipCallId);
        Request invite = sip.messages.createRequest((URI) original.getRequestURI().clone(),
                Request.INVITE, callId, sip.headers.createCSeqHeader(1L, Request.INVITE), from, to,
                new ArrayList<>(List.of(sip.newVia(webrtc.flowHop.getTransport()))),
                sip.headers.createMaxForwardsHeader(70));
        invite.addHeader(sip.headers.createContactHeader(signals.ourContact(Side.WEBRTC)));
        LegSignals.copyHeader(original, invite, B2bua.P_ASSERTED_IDENTITY);
        LegSignals.copyHeader(original, invite, "Privacy");
        signals.addAllow(invite);
        if (sdp != null) {
            SipBodies.setSdp(invite, sip.headers, sdp);
            webrtc.offered = sdp;
            webrtc.media = SdpSummary.parse(sdp);
        }
        webrtc.route(invite);
        try {
            signals.sendInitialInvite(call, webrtc, invite);
        } catch (SipException flowGone) {
            // RFC 5626 §5.3: the client's connection closed meanwhile; 430 lets the core try another flow
            LOG.info(() -> call + ": " + webrtc.flow.describe() + " closed before its INVITE: answered 430");
            Leg calling = call.calling();
            if (calling.inviteServer != null) {
                sip.respond(calling.inviteServer, 430, "Flow Failed", calling.localTag);
                calling.answered();
            }
            teardown.end(call, new CallEnd(EndCause.FLOW_CLOSED, Party.WEBRTC, 430, "the client's flow closed"));
        }
    }

    /** The caller as the core asserted it (TS 24.229 §5.2.6.3.3), else its From. */
    private static String asserted(Request request) {
        Header pai = request.getHeader(B2bua.P_ASSERTED_IDENTITY);
        if (pai instanceof HeaderAddress address) {
            return address.getAddress().getURI().toString();
        }
        return ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString();
    }
}

package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderAddress;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.call.AnswerCompletion;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.sip.call.CallState;
import org.webims.gateway.sip.call.CallView;
import org.webims.gateway.sip.call.EarlyMediaGate;
import org.webims.gateway.sip.call.EmergencyPolicy;
import org.webims.gateway.sip.call.SdpSummary;
import org.webims.gateway.sip.call.SessionTimer;
import org.webims.gateway.sip.signalling.SipContext;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.sip.media.MediaGateway;
import org.webims.gateway.sip.media.Side;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;

/**
 * The B2BUA of the eP-CSCF (TS 24.371 §7, TS 23.228 Annex U): each call has a WebRTC leg and an IMS leg with
 * independent dialogs, and every offer and answer passes through the media gateway (the eIMS-AGW), which turns
 * WebRTC media (ICE, DTLS-SRTP, rtcp-mux, BUNDLE) into plain RTP toward the core and back, transcoding if needed.
 *
 * <p>All methods run on the call's serial queue; media operations are asynchronous and continue on that queue.
 */
public final class B2bua {
    private static final Logger LOG = Logger.getLogger(B2bua.class.getName());
    /** Refusals a client can repeat at will: per cause at a bounded rate (issue 9, finding 14). */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);
    static final String P_ASSERTED_IDENTITY = "P-Asserted-Identity";
    static final String SESSION_EXPIRES = "Session-Expires";
    /** RFC 5009. */
    static final String P_EARLY_MEDIA = "P-Early-Media";
    static final List<String> ALLOW = List.of(Request.INVITE, Request.ACK, Request.CANCEL, Request.BYE,
            Request.UPDATE, Request.INFO, Request.MESSAGE, Request.OPTIONS, Request.REFER, Request.NOTIFY,
            Request.PRACK);
    /** TS 24.229 §7.6: the 3GPP IM CN subsystem XML body. */
    static final String IMS_XML_TYPE = "3gpp-ims+xml";

    private final SipContext sip;
    private final MediaGateway media;
    private final RegistrationStore registrations;
    private final EmergencyPolicy emergency;
    private final KeyedSerialExecutor work;
    private final Clock clock;
    private final CallRegistry calls = new CallRegistry();
    private final LegSignals signals;
    private final SessionRefresher refresher;
    private final DialogRelay dialogs;
    private final ReliableProvisionals reliable;
    /** Every SDP body is checked here before the media gateway sees it. */
    final OfferGate offers;

    public B2bua(SipContext sip, MediaGateway media, RegistrationStore registrations, EmergencyPolicy emergency,
            KeyedSerialExecutor work, ScheduledExecutorService timers, Clock clock) {
        this.offers = new OfferGate(sip.settings.sdpLimits());
        this.signals = new LegSignals(sip);
        this.refresher = new SessionRefresher(sip, signals, work, timers, this);
        this.dialogs = new DialogRelay(sip, media, signals, this);
        this.reliable = new ReliableProvisionals(sip);
        this.sip = sip;
        this.media = media;
        this.registrations = registrations;
        this.emergency = emergency;
        this.work = work;
        this.clock = clock;
    }

    /** The serial-queue key for a message with this Call-ID: its call's, when it belongs to one. */
    public String keyFor(String sipCallId) {
        return calls.keyFor(sipCallId);
    }

    /**
     * Whether a request belongs to a call of the B2BUA: a request within one of its dialogs, or the ACK or CANCEL
     * of one of its INVITEs. An initial INVITE is never one, even with a known Call-ID (a spiral).
     */
    public boolean owns(Request request) {
        String method = request.getMethod();
        boolean withinDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null
                || Request.CANCEL.equals(method) || Request.ACK.equals(method);
        return withinDialog && calls.owns(callIdOf(request));
    }

    public List<CallView> calls() {
        return calls.all().stream().map(this::view).toList();
    }

    // ---------------------------------------------------------------------------------------------- origination

    /** Whether a client's INVITE asks for an emergency session (refused with 380 whatever the core's state). */
    public boolean isEmergency(Request request) {
        if (!Request.INVITE.equals(request.getMethod())) {
            return false;
        }
        String to = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
        return emergency.isEmergency(request.getRequestURI().toString()) || emergency.isEmergency(to);
    }

    /** An initial INVITE from a WebRTC client (TS 24.229 §5.2.7.2 originating). */
    public void originate(ServerTransaction st, Request invite, Flow flow) throws ParseException, SipException {
        String target = invite.getRequestURI().toString();
        if (isEmergency(invite)) {
            refuseEmergency(st, flow, target);
            return;
        }
        if (sip.refusedTarget(st, invite)) {
            return;
        }
        Optional<Binding> binding = registrations.forFlow(flow.id());
        if (binding.isEmpty()) {
            sip.respondWithWarning(st, Response.FORBIDDEN, "Forbidden (not registered)", "register before calling");
            return;
        }
        String offer = SipBodies.sdp(invite);
        if (offer == null) {
            sip.respondWithWarning(st, Response.NOT_ACCEPTABLE_HERE, null, "an SDP offer is required");
            return;
        }
        Optional<MediaRefusal> unservable = offers.refusal(offer, "an INVITE over " + flow.describe());
        if (unservable.isPresent()) {
            unservable.get().answer(sip, st); // RFC 3261 §21.4.26: 488 with a Warning, rtpengine never asked
            return;
        }
        int limit = sip.settings.maxCallsPerFlow();
        if (calls.placedOver(flow.id()) >= limit) {
            REFUSALS.info("too many calls", () -> "INVITE over " + flow.describe() + " refused: already " + limit
                    + " calls");
            sip.respondWithWarning(st, Response.FORBIDDEN, "Forbidden (too many calls)",
                    "at most " + limit + " simultaneous calls per connection");
            return;
        }
        sip.respond(st, Response.TRYING, null);
        Leg webrtc = new Leg(Side.WEBRTC, callIdOf(invite), flow, sip.flowHop(flow));
        webrtc.inviteServer = st;
        webrtc.dialog = sip.provider.getNewDialog(st);
        webrtc.localTag = newTag();
        webrtc.media = SdpSummary.parse(offer);
        webrtc.reliableProvisionals = ReliableProvisionals.supported(invite);
        webrtc.requiresReliable = ReliableProvisionals.required(invite);
        String identity = binding.get().defaultIdentity();
        Call call = new Call(newCallId(), webrtc.sipCallId, CallDirection.ORIGINATING, webrtc, clock.instant(),
                identity, target);
        calls.add(call);
        LOG.info(() -> "New " + call + " over " + flow.describe());
        onMedia(call, media.offer(call.mediaFrom(webrtc), offer, Side.IMS),
                imsOffer -> inviteCore(call, invite, binding.get(), imsOffer));
    }

    /** The INVITE of the IMS leg: our own dialog, the asserted identity, the Service-Route (TS 24.229 §5.2.6.3). */
    private void inviteCore(Call call, Request original, Binding binding, String sdp)
            throws ParseException, InvalidArgumentException, SipException {
        CallIdHeader callId = sip.provider.getNewCallId();
        String tag = newTag();
        FromHeader from = sip.headers.createFromHeader(
                AssertedFrom.address(sip.addresses, call.caller, (FromHeader) original.getHeader(FromHeader.NAME)), tag);
        ToHeader to = sip.headers.createToHeader(
                (Address) ((ToHeader) original.getHeader(ToHeader.NAME)).getAddress().clone(), null);
        Request invite = sip.messages.createRequest((javax.sip.address.URI) original.getRequestURI().clone(),
                Request.INVITE, callId, sip.headers.createCSeqHeader(1L, Request.INVITE), from, to,
                new java.util.ArrayList<>(List.of(sip.newVia("udp"))), sip.headers.createMaxForwardsHeader(70));
        invite.addHeader(sip.headers.createContactHeader(signals.ourContact(Side.IMS)));
        invite.addHeader(sip.headers.createHeader(P_ASSERTED_IDENTITY, "<" + call.caller + ">"));
        LegSignals.copyHeader(original, invite, "Privacy");
        signals.addAllow(invite);
        invite.addHeader(sip.headers.createSupportedHeader("100rel")); // RFC 3262: PRACK done by the gateway
        invite.addHeader(sip.headers.createSupportedHeader("timer"));
        invite.addHeader(sip.headers.createHeader(P_EARLY_MEDIA, "supported")); // RFC 5009 §8: we gate it
        // RFC 4028: the gateway keeps the IMS leg alive itself; the WebRTC client need not refresh.
        invite.addHeader(sip.headers.createHeader(SESSION_EXPIRES,
                new SessionTimer(SessionTimer.REQUESTED, true).headerValue()));
        invite.addHeader(sip.headers.createHeader("Min-SE", Long.toString(SessionTimer.MIN_SE.toSeconds())));
        List<String> serviceRoute = binding.serviceRoute();
        if (serviceRoute.isEmpty()) {
            invite.addHeader(sip.headers.createRouteHeader(sip.coreEntryRoute()));
        } else {
            for (String route : serviceRoute) {
                invite.addHeader(sip.headers.createHeader(RouteHeader.NAME, route));
            }
        }
        SipBodies.setSdp(invite, sip.headers, sdp);
        sip.routeTowardCore(invite);
        Leg ims = new Leg(Side.IMS, callId.getCallId(), null, null);
        ims.localTag = tag;
        ims.offered = sdp;
        ims.media = SdpSummary.parse(sdp);
        call.ims = ims;
        calls.addLeg(call, ims);
        sendInitialInvite(call, ims, invite);
    }

    // ---------------------------------------------------------------------------------------------- termination

    /** An initial INVITE from the core for a WebRTC client's flow (TS 24.229 §5.2.7.3 terminating). */
    public void terminate(ServerTransaction st, Request invite, Flow flow)
            throws ParseException, SipException, InvalidArgumentException {
        String offer = SipBodies.sdp(invite);
        Optional<MediaRefusal> unservable = offer == null ? Optional.empty()
                : offers.refusal(offer, "an INVITE from the core for " + flow.describe());
        if (unservable.isPresent()) {
            unservable.get().answer(sip, st); // RFC 3261 §21.4.26: 488 with a Warning, rtpengine never asked
            return;
        }
        sip.respond(st, Response.TRYING, null);
        Leg ims = new Leg(Side.IMS, callIdOf(invite), null, null);
        ims.inviteServer = st;
        ims.dialog = sip.provider.getNewDialog(st);
        ims.localTag = newTag();
        ims.media = SdpSummary.parse(offer);
        Leg webrtc = new Leg(Side.WEBRTC, sip.provider.getNewCallId().getCallId(), flow, sip.flowHop(flow));
        webrtc.localTag = newTag();
        String caller = asserted(invite);
        // A spiral (one of our own clients calling another) shares the originating call's queue.
        Call call = new Call(newCallId(), calls.keyFor(ims.sipCallId), CallDirection.TERMINATING, webrtc,
                clock.instant(), caller, invite.getRequestURI().toString());
        call.ims = ims;
        calls.add(call);
        calls.addLeg(call, ims);
        LOG.info(() -> "New " + call + " toward " + flow.describe());
        if (offer == null) {
            // RFC 3264 §5: the client's 2xx will carry the offer; through onMedia so a failure ends the call.
            onMedia(call, java.util.concurrent.CompletableFuture.completedFuture(null),
                    none -> inviteClient(call, invite, null));
            return;
        }
        onMedia(call, media.offer(call.mediaFrom(ims), offer, Side.WEBRTC),
                webrtcOffer -> inviteClient(call, invite, webrtcOffer));
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
        Request invite = sip.messages.createRequest((javax.sip.address.URI) original.getRequestURI().clone(),
                Request.INVITE, callId, sip.headers.createCSeqHeader(1L, Request.INVITE), from, to,
                new java.util.ArrayList<>(List.of(sip.newVia(webrtc.flowHop.getTransport()))),
                sip.headers.createMaxForwardsHeader(70));
        invite.addHeader(sip.headers.createContactHeader(signals.ourContact(Side.WEBRTC)));
        LegSignals.copyHeader(original, invite, P_ASSERTED_IDENTITY);
        LegSignals.copyHeader(original, invite, "Privacy");
        signals.addAllow(invite);
        if (sdp != null) {
            SipBodies.setSdp(invite, sip.headers, sdp);
            webrtc.offered = sdp;
            webrtc.media = SdpSummary.parse(sdp);
        }
        webrtc.route(invite);
        try {
            sendInitialInvite(call, webrtc, invite);
        } catch (SipException flowGone) {
            // RFC 5626 §5.3: the client's connection closed meanwhile; 430 lets the core try another flow
            LOG.info(() -> call + ": " + webrtc.flow.describe() + " closed before its INVITE: answered 430");
            Leg calling = call.calling();
            if (calling.inviteServer != null) {
                sip.respond(calling.inviteServer, 430, "Flow Failed");
                calling.answered();
            }
            end(call, "the client's flow closed");
        }
    }

    private void sendInitialInvite(Call call, Leg leg, Request invite) throws SipException {
        ClientTransaction ct = sip.newClientTransaction(invite);
        leg.dialog = sip.provider.getNewDialog(ct);
        leg.inviteClient = ct;
        ct.setApplicationData(new LegTransaction(call, leg, LegTransaction.Purpose.INITIAL, null, null));
        ct.sendRequest();
    }

    // ---------------------------------------------------------------------------------------------- responses

    /** A response on a client transaction the B2BUA opened. */
    public void onResponse(ClientTransaction ct, Response response, javax.sip.Dialog dialog) {
        if (!(ct.getApplicationData() instanceof LegTransaction lt)) {
            return;
        }
        try {
            switch (lt.purpose()) {
                case INITIAL -> {
                    if (!followFork(lt.call(), lt.leg(), response, dialog)) {
                        initialResponse(lt.call(), lt.leg(), response);
                    }
                }
                case RELAY -> dialogs.relayResponse(lt, response);
                case REFRESH -> refresher.answered(lt, response);
                case TEARDOWN -> { }
            }
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Failed to handle " + response.getStatusCode() + " in " + lt.call(), e);
            abandon(lt.call(), "internal error");
        }
    }

    /**
     * A response of another early dialog the core's forking created (RFC 3261 §13.2.2.4, §16.7). The WebRTC leg keeps
     * its one dialog: the IMS leg follows the fork that answered last, so its early media and then its answer reach
     * the client. A 2xx from a fork after the call was answered is acknowledged and ended with BYE. Returns true when
     * the response needs nothing more.
     */
    private boolean followFork(Call call, Leg called, Response response, javax.sip.Dialog dialog)
            throws SipException, InvalidArgumentException {
        if (dialog == null || dialog == called.dialog || called.side != Side.IMS) {
            return false;
        }
        int status = response.getStatusCode();
        boolean answered = called.inviteClient == null || call.state == CallState.CONFIRMED;
        if (answered) {
            if (status / 100 == 2) {
                LOG.info(() -> "Releasing a second answer from a forked branch of " + call);
                try {
                    signals.ackAndBye(call, called, dialog, response);
                } catch (SipException | InvalidArgumentException | RuntimeException e) {
                    LOG.log(Level.INFO, "Could not release a forked branch of " + call, e); // the call goes on
                }
            }
            return true; // anything else from a branch that lost changes nothing
        }
        if (status >= 300) {
            return false;
        }
        LOG.fine(() -> "Following forked branch " + dialog.getRemoteTag() + " of " + call);
        called.follow(dialog);
        return false;
    }

    /** RFC 3261 §13.2.2: provisional and final answers to the initial INVITE of the called leg. */
    private void initialResponse(Call call, Leg called, Response response)
            throws ParseException, SipException, InvalidArgumentException {
        int status = response.getStatusCode();
        Leg calling = call.other(called);
        if (status == Response.TRYING) {
            return;
        }
        if (!call.state.isLive() || call.state == CallState.ENDING) {
            if (status / 100 == 2) {
                // RFC 3261 §15: a 2xx that crossed our CANCEL is acknowledged and ended with BYE.
                signals.ack(called, response);
                signals.sendBye(call, called);
            }
            return;
        }
        String answered = SipBodies.sdp(response);
        String sdp = answered != null && called.offered != null
                ? AnswerCompletion.complete(called.offered, answered) : answered;
        if (status < 200) {
            if (called.inviteClient == null || ReliableProvisionals.isRetransmission(called, response)) {
                return; // after the answer, or a reliable 18x seen before (RFC 3262 §4)
            }
            call.state = CallState.EARLY;
            // Our INVITE had no offer: the client's 2xx carries it, and an 18x's SDP is not relayed (RFC 3264 §5).
            String early = called.offered == null ? null : sdp;
            boolean passedOn = ReliableProvisionals.isReliable(response)
                    && reliable.onReliable(call, called, calling, response);
            if (!passedOn && calling.requiresReliable && !reliable.takeOwnReliable(calling)) {
                return; // RFC 3262 §3: one unacknowledged reliable 18x at a time toward this client; withheld
            }
            boolean reliably = passedOn || calling.requiresReliable;
            boolean gatedOff = called.side == Side.IMS
                    && !EarlyMediaGate.allowsTowardUser(LegSignals.headerValue(response, P_EARLY_MEDIA));
            if (early == null || gatedOff) {
                answerCalling(call, calling, status, response.getReasonPhrase(), null, reliably);
            } else {
                called.media = SdpSummary.parse(early);
                onMedia(call, offers.checked(early, call, () -> media.answer(call.mediaFrom(calling), early,
                        calling.side)), relayed -> answerCalling(call, calling, status, response.getReasonPhrase(),
                                relayed, reliably));
            }
        } else if (status < 300) {
            if (called.inviteClient == null) {
                return; // a retransmission of the 2xx we already took (RFC 3261 §13.2.2.4)
            }
            called.inviteClient = null;
            if (called.offered == null && sdp != null) {
                answerWithLateOffer(call, called, calling, response, sdp);
                return;
            }
            signals.ack(called, response);
            called.media = sdp == null ? called.media : SdpSummary.parse(sdp);
            if (sdp == null) {
                fail(call, Response.NOT_ACCEPTABLE_HERE, "the called party answered without SDP");
                return;
            }
            if (called.side == Side.IMS) {
                // RFC 4028 §7.2: the core's 2xx says who refreshes; we sent the INVITE, so we are the UAC.
                SessionTimer.parse(LegSignals.headerValue(response, SESSION_EXPIRES), true)
                        .filter(SessionTimer::refresherIsUac)
                        .ifPresent(timer -> refresher.schedule(call, called, timer));
            }
            onMedia(call, offers.checked(sdp, call, () -> media.answer(call.mediaFrom(calling), sdp, calling.side)),
                    answer -> {
                        answerCalling(call, calling, Response.OK, null, answer);
                        call.state = CallState.CONFIRMED;
                        call.answeredAt = clock.instant();
                        LOG.info(() -> "Answered " + call);
                    });
        } else {
            called.inviteClient = null;
            refuseCalling(calling, response);
            end(call, "refused with " + status);
        }
    }

    /**
     * The 2xx to our offerless INVITE carries the called party's offer (RFC 3264 §5): it goes through the media
     * gateway to the calling side in our 2xx, and the ACK toward the called leg waits for the answer that the
     * calling side's ACK brings ({@code DialogRelay.ackWithAnswer}).
     */
    private void answerWithLateOffer(Call call, Leg called, Leg calling, Response response, String offer)
            throws ParseException, SipException, InvalidArgumentException {
        called.offerAwaitingAck = response;
        called.media = SdpSummary.parse(offer);
        onMedia(call, offers.checked(offer, call, () -> media.offer(call.mediaFrom(called), offer, calling.side)),
                relayed -> {
                    answerCalling(call, calling, Response.OK, null, relayed);
                    call.state = CallState.CONFIRMED;
                    call.answeredAt = clock.instant();
                    LOG.info(() -> "Answered " + call + " (offer in the answer)");
                }, refusal -> {
                    // RFC 3261 §13.2.2.4: the 2xx is acknowledged before the leg is ended with BYE.
                    called.offerAwaitingAck = null;
                    try {
                        signals.ack(called, response);
                    } catch (SipException | InvalidArgumentException | RuntimeException e) {
                        LOG.log(Level.FINE, "Could not acknowledge the " + called + " of " + call, e);
                    }
                    if (refusal != MediaRefusal.CALL_ENDED) { // else its end already sent the BYE
                        fail(call, refusal);
                    }
                });
    }

    private void answerCalling(Call call, Leg calling, int status, String reason, String sdp)
            throws ParseException, SipException, InvalidArgumentException {
        answerCalling(call, calling, status, reason, sdp, false);
    }

    /**
     * Sends a response to the calling leg's INVITE, with our tag, our Contact and the given SDP; a provisional one
     * {@code reliably} (RFC 3262 §3: Require 100rel and RSeq, retransmitted by the stack until PRACKed).
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
        if (sdp != null) {
            SipBodies.setSdp(response, sip.headers, sdp);
            calling.media = SdpSummary.parse(sdp);
        }
        if (reliably) {
            calling.dialog.sendReliableProvisionalResponse(response);
        } else {
            st.sendResponse(response);
        }
        if (status >= 200) {
            calling.answered();
        }
    }

    /** The called side refused: the caller gets the same status with what explains it (Warning, Reason, ...). */
    private void refuseCalling(Leg calling, Response refusal) throws ParseException, SipException,
            InvalidArgumentException {
        ServerTransaction st = calling.inviteServer;
        if (st == null) {
            return;
        }
        Response response = sip.messages.createResponse(refusal.getStatusCode(), st.getRequest());
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(calling.localTag);
        RefusalExplanation.passOn(refusal, response);
        st.sendResponse(response);
        calling.answered();
    }

    // ---------------------------------------------------------------------------------------------- in dialog

    /** A request for a leg of a live call (ACK, CANCEL, BYE, re-INVITE, UPDATE, INFO, ...); st is null for ACK. */
    public void inDialog(ServerTransaction st, Request request) {
        Call call = calls.find(callIdOf(request), ((ToHeader) request.getHeader(ToHeader.NAME)).getTag());
        if (call == null) {
            if (st != null) {
                sip.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
            }
            return;
        }
        Leg leg = call.leg(callIdOf(request)); // from the leg's own side: EntryValve refused any other
        Leg other = call.other(leg);
        try {
            switch (request.getMethod()) {
                case Request.ACK -> dialogs.ackWithAnswer(call, leg, other, request);
                case Request.CANCEL -> cancel(call, leg, other, st);
                case Request.BYE -> bye(call, leg, other, st);
                case Request.PRACK -> reliable.onPrack(call, leg, other, st);
                default -> dialogs.relay(call, leg, other, st, request);
            }
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Failed to handle " + request.getMethod() + " in " + call, e);
            if (st != null) {
                sip.respond(st, Response.SERVER_INTERNAL_ERROR, null);
            }
            if (Request.BYE.equals(request.getMethod()) || Request.CANCEL.equals(request.getMethod())) {
                abandon(call, "failed to handle its " + request.getMethod()); // asked to end: never left half up
            }
        }
    }







    /** RFC 3261 §9.2: 200 to the CANCEL, 487 to the INVITE, CANCEL on the other leg. */
    private void cancel(Call call, Leg leg, Leg other, ServerTransaction st) throws SipException {
        sip.respond(st, Response.OK, null);
        if (leg.inviteServer == null) {
            return; // already answered: the caller will ACK and BYE
        }
        sip.respond(leg.inviteServer, Response.REQUEST_TERMINATED, null);
        leg.answered();
        if (other != null) {
            signals.release(call, other);
        } // else the media gateway is still preparing the offer: the other leg will never be started
        end(call, "cancelled by the " + leg.side + " side");
    }

    private void bye(Call call, Leg leg, Leg other, ServerTransaction st) throws SipException {
        sip.respond(st, Response.OK, null);
        if (other != null) {
            if (other.inviteServer != null) {
                sip.respond(other.inviteServer, Response.REQUEST_TERMINATED, null);
                other.answered();
            } else if (other.inviteClient != null) {
                signals.cancelPendingInvite(call, other);
            } else {
                signals.sendBye(call, other);
            }
        }
        end(call, "BYE from the " + leg.side + " side");
    }





    // ---------------------------------------------------------------------------------------------- teardown

    /** RFC 3261 §17.1.1.3: no final answer to the initial INVITE counts as 408; mid-dialog, the origin gets 408. */
    public void onTimeout(ClientTransaction ct) {
        if (!(ct.getApplicationData() instanceof LegTransaction lt)) {
            return;
        }
        Call call = lt.call();
        if (lt.purpose() == LegTransaction.Purpose.INITIAL && call.state.isLive()) {
            fail(call, Response.REQUEST_TIMEOUT, "no answer from the " + lt.leg().side + " side");
        } else if (lt.purpose() == LegTransaction.Purpose.RELAY) {
            sip.respond(lt.originServer(), Response.REQUEST_TIMEOUT, null);
        }
    }

    /** A WebSocket closed: its calls end, toward the core with BYE or CANCEL (RFC 5626 §5.3 flow failure). */
    public void flowClosed(Flow flow) {
        for (Call call : calls.all()) {
            if (call.webrtc.flow.id().equals(flow.id())) {
                work.execute(call.key, () -> abandon(call, "the WebSocket closed"));
            }
        }
    }

    /**
     * For the stack's entry valve, before any transaction or dialog sees the request (any thread): a leg's requests
     * come from its own peer, the WebRTC leg's down its client's flow (RFC 5626), the IMS leg's from the core side
     * ({@code flow} null). False only when the Call-ID and To tag (none for a CANCEL) name a leg of a live call
     * that the other side owns: whoever learned a call's identifiers cannot end or change it.
     */
    public boolean mayArriveOn(String sipCallId, String toTag, Flow flow) {
        Call call = calls.find(sipCallId, toTag);
        Leg leg = call == null ? null : call.leg(sipCallId);
        if (leg == null) {
            return true;
        }
        return flow == null ? leg.side == Side.IMS : leg.flow != null && leg.flow.id().equals(flow.id());
    }

    /** Ends a call from the gateway's side: whatever state each leg is in, it is told. */
    void abandon(Call call, String why) {
        abandon(call, why, null);
    }

    /** Ends a call from the gateway's side, the BYEs saying why (RFC 3326 Reason) when {@code cause} is given. */
    void abandon(Call call, String why, MediaRefusal cause) {
        if (!call.state.isLive()) {
            return;
        }
        for (Leg leg : new Leg[] {call.webrtc, call.ims}) {
            if (leg == null || leg.flow != null && !leg.flow.connection().isOpen()) {
                continue;
            }
            try {
                if (leg.inviteServer != null) {
                    sip.respondWithWarning(leg.inviteServer, Response.TEMPORARILY_UNAVAILABLE, null, why);
                    leg.answered();
                } else {
                    signals.release(call, leg, cause == null ? null : cause.reason(sip));
                }
            } catch (ParseException | SipException | RuntimeException e) {
                LOG.log(Level.FINE, "Could not end the " + leg + " of " + call, e);
            }
        }
        end(call, why);
    }

    /** A failure before the answer: the calling leg gets the status, the called leg a CANCEL. */
    private void fail(Call call, int status, String warning) {
        fail(call, new MediaRefusal(status, 399, warning, 0));
    }

    private void fail(Call call, MediaRefusal refusal) {
        Leg calling = call.calling();
        String warning = refusal.warning();
        if (calling.inviteServer != null) {
            refusal.toward(calling.side).answer(sip, calling.inviteServer);
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
        end(call, warning);
    }




    /** The call is over: out of the registry, its media session deleted on the eIMS-AGW. */
    private void end(Call call, String why) {
        if (!call.state.isLive()) {
            return;
        }
        call.state = CallState.ENDED;
        calls.remove(call);
        for (Leg leg : new Leg[] {call.webrtc, call.ims}) {
            if (leg == null) {
                continue;
            }
            if (leg.sessionRefresh != null) {
                leg.sessionRefresh.cancel(false);
            }
            // The stack keeps a dialog until it sees it end; one whose peer vanished (a closed WebSocket) never
            // would. Transactions still open on it (a BYE just sent) complete on their own.
            for (javax.sip.Dialog dialog : leg.dialogs()) {
                if (dialog.getState() != javax.sip.DialogState.TERMINATED) {
                    dialog.delete();
                }
            }
        }
        LOG.info(() -> "Ended " + call + ": " + why);
        deleteMedia(call, Level.WARNING);
    }

    private void deleteMedia(Call call, Level failureLevel) {
        media.delete(call.mediaFrom(call.webrtc)).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.log(failureLevel, () -> "Media session of " + call + " not deleted: " + error.getMessage());
            }
        });
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /**
     * Continues on the call's queue once the media gateway answered; a failure ends the call with the status of
     * {@link MediaRefusal} (488 for the SDP's fault, 503 with Retry-After for the media gateway's) and a Warning
     * naming the cause, never a hang.
     */
    void onMedia(Call call, CompletableFuture<String> result, SdpStep next) {
        onMedia(call, result, next, refusal -> {
            if (call.state.isLive()) {
                fail(call, refusal);
            }
        });
    }

    /**
     * As {@link #onMedia(Call, CompletableFuture, SdpStep)}, with what a failure does instead: a request within the
     * dialog gets its own final answer (also {@link MediaRefusal#CALL_ENDED} when the call ended meanwhile).
     */
    void onMedia(Call call, CompletableFuture<String> result, SdpStep next, MediaFailure failed) {
        result.whenComplete((sdp, error) -> work.execute(call.key, () -> {
            if (!call.state.isLive()) {
                if (error == null) {
                    // the call ended while rtpengine was creating or changing its session: the delete sent when
                    // it ended may have reached rtpengine before this step did, so the session is deleted again
                    deleteMedia(call, Level.FINE); // usually already gone
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

    /**
     * TS 24.229 §5.2.10.4 and §7.6: an emergency request from a WebRTC client is refused with 380 Alternative
     * Service and the IM CN subsystem XML body; nothing goes to the core.
     */
    private void refuseEmergency(ServerTransaction st, Flow flow, String target) throws ParseException {
        REFUSALS.warning("emergency refused", () -> "Emergency session to " + target + " from " + flow.describe()
                + " refused: not supported over WebRTC access");
        try {
            Response response = sip.messages.createResponse(Response.ALTERNATIVE_SERVICE, st.getRequest());
            response.setContent("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<ims-3gpp version=\"1\"><alternative-service><type>emergency</type>"
                    + "<reason>Emergency calls are not supported from this WebRTC client; call from a phone"
                    + "</reason></alternative-service></ims-3gpp>\n",
                    sip.headers.createContentTypeHeader("application", IMS_XML_TYPE));
            response.addHeader(sip.headers.createWarningHeader(sip.settings.sipHost(), 399,
                    "emergency calls are not supported over WebRTC access"));
            st.sendResponse(response);
        } catch (SipException | InvalidArgumentException e) {
            LOG.log(Level.FINE, "Could not send 380", e);
        }
    }


    private String asserted(Request request) {
        Header pai = request.getHeader(P_ASSERTED_IDENTITY);
        if (pai instanceof HeaderAddress address) {
            return address.getAddress().getURI().toString();
        }
        return ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString();
    }



    private CallView view(Call call) {
        return new CallView(call.id, call.direction, call.state, call.caller, call.callee,
                call.webrtc.flow.id().toString(), call.webrtc.sipCallId, call.ims == null ? null : call.ims.sipCallId,
                call.webrtc.media.describe(), call.ims == null ? "" : call.ims.media.describe(), call.startedAt,
                call.answeredAt);
    }

    static String callIdOf(javax.sip.message.Message message) {
        return ((CallIdHeader) message.getHeader(CallIdHeader.NAME)).getCallId();
    }

    private static String newTag() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    private static String newCallId() {
        return UUID.randomUUID().toString();
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t != t.getCause()) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}

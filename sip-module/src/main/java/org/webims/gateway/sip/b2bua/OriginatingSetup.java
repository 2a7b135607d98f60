package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.sip.admission.Verdict;
import org.webims.gateway.sip.call.SdpSummary;
import org.webims.gateway.sip.call.SessionTimer;
import org.webims.gateway.sip.call.StreamDecline;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.media.MediaGateway;
import org.webims.gateway.sip.media.Side;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.signalling.ChargingVector;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * An initial INVITE from a WebRTC client (TS 24.229 §5.2.7.2 originating): admitted, its offer through the media
 * gateway, then our own INVITE on the IMS leg with the asserted identity and the Service-Route.
 */
final class OriginatingSetup {
    private static final Logger LOG = Logger.getLogger(OriginatingSetup.class.getName());
    private final SipContext sip;
    private final MediaGateway media;
    private final CallRegistry calls;
    private final CallAdmission admission;
    private final MediaSteps steps;
    private final Teardown teardown;
    private final LegSignals signals;
    private final CallEvents events;
    private final CreditGate credit;
    private final QosGate qos;
    private final EmergencyRefusal emergency;
    private final Announcer announcement;
    private final RegistrationStore registrations;
    private final Clock clock;

    OriginatingSetup(SipContext sip, MediaGateway media, CallRegistry calls, CallAdmission admission,
            MediaSteps steps, Teardown teardown, LegSignals signals, CallEvents events, CreditGate credit,
            QosGate qos, EmergencyRefusal emergency, Announcer announcement, RegistrationStore registrations, Clock clock) {
        this.registrations = registrations;
        this.emergency = emergency;
        this.announcement = announcement;
        this.credit = credit;
        this.qos = qos;
        this.sip = sip;
        this.media = media;
        this.calls = calls;
        this.admission = admission;
        this.steps = steps;
        this.teardown = teardown;
        this.signals = signals;
        this.events = events;
        this.clock = clock;
    }

    void originate(ServerTransaction st, Request invite, Flow flow) throws ParseException, SipException {
        String offer = SipBodies.sdp(invite);
        if (emergency.isEmergency(invite) && announceEmergency(st, invite, flow, offer)) {
            return;
        }
        Optional<Binding> binding = admission.originating(st, invite, flow, offer);
        if (binding.isEmpty()) {
            return;
        }
        sip.respond(st, Response.TRYING, null);
        String identity = binding.get().defaultIdentity();
        Call call = newCall(st, invite, flow, offer, identity);
        Leg webrtc = call.calling();
        events.attempted(call);
        if (!flow.connection().isOpen()) {
            // closed before the call was in the registry: the flow's clean-up did not see it
            teardown.flowClosed(call);
            return;
        }
        admission.decide(call, admission.subject(identity, flow), admission.destination(invite),
                StreamDecline.kinds(offer), true, CallAdmission.guestsOnly(flow), verdict -> {
                    if (verdict instanceof Verdict.Refuse refusal) {
                        teardown.refuse(call, refusal); // logged at a bounded rate by the admission
                        return;
                    }
                    LOG.fine(() -> "New " + call + " over " + flow.describe()); // its end is logged at INFO
                    credit.then(call, () -> qos.then(call, offer, clientOffer -> steps.then(call,
                            MediaSteps.attempt(() -> media.offer(call.mediaFrom(webrtc), clientOffer, Side.IMS)),
                            imsOffer -> inviteCore(call, invite, binding.get(), call.shaped(imsOffer),
                                    flow.isGuest()))));
                });
    }

    /** The call of a client's INVITE, its WebRTC leg the calling one, in the registry from now on. */
    private Call newCall(ServerTransaction st, Request invite, Flow flow, String offer, String identity)
            throws SipException {
        Leg webrtc = new Leg(Side.WEBRTC, B2bua.callIdOf(invite), flow, sip.flowHop(flow));
        webrtc.inviteServer = st;
        webrtc.dialog = sip.provider.getNewDialog(st);
        webrtc.localTag = B2bua.newTag();
        webrtc.media = SdpSummary.parse(offer);
        webrtc.partySent(offer, true);
        webrtc.reliableProvisionals = ReliableProvisionals.supported(invite);
        webrtc.requiresReliable = ReliableProvisionals.required(invite);
        Call call = new Call(B2bua.newCallId(), webrtc.sipCallId, CallDirection.ORIGINATING, webrtc, clock.instant(),
                identity, invite.getRequestURI().toString(), identity, ChargingVector.newIcid());
        calls.add(call);
        return call;
    }

    /**
     * An emergency session is never set up over WebRTC access (TS 23.228 Annex U): the 380 goes as always, but first,
     * where configured, the announcement that tells the user to call from a phone, which a third-party client's user
     * would not learn from the 380 alone, whatever the core's state. Only for a registered client within its call
     * limit: an announcement holds a media session for seconds, which nobody may get for free and in numbers; the
     * others get the 380 at once, as before.
     */
    private boolean announceEmergency(ServerTransaction st, Request invite, Flow flow, String offer)
            throws SipException {
        Optional<Binding> binding = registrations.forFlow(flow.id());
        if (ReliableProvisionals.required(invite) || !announcement.plays(Response.ALTERNATIVE_SERVICE)
                || binding.isEmpty() || calls.placedOver(flow.id()) >= sip.settings.maxCallsPerFlow()
                || !admission.mayAnnounce(offer, "an emergency INVITE over " + flow.describe())) {
            return false;
        }
        sip.respond(st, Response.TRYING, null);
        String target = invite.getRequestURI().toString();
        // the registered identity, never the From a client may write as it likes
        Call call = newCall(st, invite, flow, offer, binding.get().defaultIdentity());
        Leg webrtc = call.calling();
        Runnable refuse = () -> { // the media gateway failing on the way: the 380 at once all the same
            emergency.refuse(st, flow, target, webrtc.localTag);
            webrtc.answered();
            teardown.refusedByGateway(call, Response.ALTERNATIVE_SERVICE, "emergency session refused");
        };
        if (!announcement.announce(call, Response.ALTERNATIVE_SERVICE, refuse)) {
            refuse.run();
        }
        return true;
    }

    /** The INVITE of the IMS leg: our own dialog, the asserted identity, the Service-Route (TS 24.229 §5.2.6.3). */
    private void inviteCore(Call call, Request original, Binding binding, String sdp, boolean guest)
            throws ParseException, InvalidArgumentException, SipException {
        CallIdHeader callId = sip.provider.getNewCallId();
        String tag = B2bua.newTag();
        FromHeader from = sip.headers.createFromHeader(
                AssertedFrom.address(sip.addresses, call.caller, (FromHeader) original.getHeader(FromHeader.NAME)), tag);
        ToHeader to = sip.headers.createToHeader(
                (Address) ((ToHeader) original.getHeader(ToHeader.NAME)).getAddress().clone(), null);
        Request invite = sip.messages.createRequest((URI) original.getRequestURI().clone(),
                Request.INVITE, callId, sip.headers.createCSeqHeader(1L, Request.INVITE), from, to,
                new ArrayList<>(List.of(sip.newVia("udp"))), sip.headers.createMaxForwardsHeader(70));
        invite.addHeader(sip.headers.createContactHeader(signals.ourContact(Side.IMS)));
        invite.addHeader(sip.headers.createHeader(B2bua.P_ASSERTED_IDENTITY, "<" + call.caller + ">"));
        if (guest) {
            invite.addHeader(sip.headers.createHeader("Privacy", "id")); // RFC 3325 §9.3: an anonymous guest
        } else {
            LegSignals.copyHeader(original, invite, "Privacy");
        }
        signals.addAllow(invite);
        invite.addHeader(sip.headers.createSupportedHeader("100rel")); // RFC 3262: PRACK done by the gateway
        invite.addHeader(sip.headers.createSupportedHeader("timer"));
        invite.addHeader(sip.headers.createHeader(B2bua.P_EARLY_MEDIA, "supported")); // RFC 5009 §8: we gate it
        // RFC 4028: the gateway keeps the IMS leg alive itself; the WebRTC client need not refresh.
        invite.addHeader(sip.headers.createHeader(B2bua.SESSION_EXPIRES,
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
        ChargingVector.set(invite, call.icid, sip); // TS 24.229 §5.2.7.2: the P-CSCF creates the vector
        SipBodies.setSdp(invite, sip.headers, sdp);
        sip.routeTowardCore(invite);
        Leg ims = new Leg(Side.IMS, callId.getCallId(), null, null);
        ims.localTag = tag;
        ims.offered = sdp;
        ims.media = SdpSummary.parse(sdp);
        call.ims = ims;
        calls.addLeg(call, ims);
        try {
            signals.sendInitialInvite(call, ims, invite);
        } catch (SipException e) {
            // RFC 3261 §8.1.3.1: a transport error toward the next hop counts as its 503
            LOG.warning(() -> "IMS core unreachable for " + call + ": " + e.getMessage());
            teardown.refuse(call, new Verdict.Refuse(Response.SERVICE_UNAVAILABLE, null, "IMS core unreachable"));
        }
    }
}

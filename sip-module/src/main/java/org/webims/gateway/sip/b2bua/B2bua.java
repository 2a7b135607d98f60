package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.ports.call.Party;
import org.webims.gateway.ports.policy.Impus;
import org.webims.gateway.ports.policy.Source;
import org.webims.gateway.sip.admission.CallCounts;
import org.webims.gateway.sip.call.CallView;
import org.webims.gateway.sip.call.EmergencyPolicy;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.media.MediaGateway;
import org.webims.gateway.sip.media.Side;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.runtime.GatewayPorts;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * The B2BUA of the eP-CSCF (TS 24.371 §7, TS 23.228 Annex U): each call has a WebRTC leg and an IMS leg with
 * independent dialogs, and every offer and answer passes through the media gateway (the eIMS-AGW), which turns
 * WebRTC media (ICE, DTLS-SRTP, rtcp-mux, BUNDLE) into plain RTP toward the core and back, transcoding if needed.
 *
 * <p>This class is the entry the edge proxy calls and dispatches to one class per job: {@link CallAdmission},
 * {@link OriginatingSetup}, {@link TerminatingSetup}, {@link ForkFollower}, {@link AnswerRelay},
 * {@link DialogRelay}, {@link ReliableProvisionals}, {@link SessionRefresher} and {@link Teardown}. All of them run
 * on the call's serial queue; media and policy steps are asynchronous and continue on that queue.
 */
public final class B2bua {
    private static final Logger LOG = Logger.getLogger(B2bua.class.getName());
    static final String P_ASSERTED_IDENTITY = "P-Asserted-Identity";
    static final String SESSION_EXPIRES = "Session-Expires";
    /** RFC 5009. */
    static final String P_EARLY_MEDIA = "P-Early-Media";
    static final List<String> ALLOW = List.of(Request.INVITE, Request.ACK, Request.CANCEL, Request.BYE,
            Request.UPDATE, Request.INFO, Request.MESSAGE, Request.OPTIONS, Request.REFER, Request.NOTIFY,
            Request.PRACK);

    private final SipContext sip;
    private final KeyedSerialExecutor work;
    private final CallRegistry calls = new CallRegistry();
    private final EmergencyRefusal emergency;
    private final OriginatingSetup originating;
    private final TerminatingSetup terminating;
    private final ForkFollower forks;
    private final AnswerRelay answers;
    private final DialogRelay dialogs;
    private final ReliableProvisionals reliable;
    private final SessionRefresher refresher;
    private final Teardown teardown;
    private final LegSignals signals;
    private final ScheduledExecutorService timers;
    /** How long after a 2xx arrives the B2BUA checks that its branch was taken or released. */
    private static final long STRAY_CHECK_MS = 300;
    private final CallAdmission admission;

    public B2bua(SipContext sip, MediaGateway media, RegistrationStore registrations, EmergencyPolicy emergencyPolicy,
            GatewayPorts ports, KeyedSerialExecutor work, ScheduledExecutorService timers, Clock clock) {
        this.sip = sip;
        this.work = work;
        OfferGate offers = new OfferGate(sip.settings.sdpLimits());
        this.signals = new LegSignals(sip);
        this.timers = timers;
        CallEvents events = new CallEvents(ports.events(), clock);
        CallCounts counts = new CallCounts();
        Announcer announcement = new Announcer(sip, media, ports.announcements(), signals, work,
                timers);
        this.teardown = new Teardown(sip, signals, calls, counts, media, events, announcement, ports.qos());
        MediaSteps steps = new MediaSteps(work, teardown);
        this.emergency = new EmergencyRefusal(sip, emergencyPolicy);
        this.admission = new CallAdmission(sip, registrations, offers, calls, counts, ports.policy(),
                ports.dialPlan(), work, emergency, teardown, events, media);
        CreditGate credit = new CreditGate(ports.credit(), work, teardown, announcement);
        QosGate qos = new QosGate(ports.qos(), work, teardown, sip);
        this.originating = new OriginatingSetup(sip, media, calls, admission, steps, teardown, signals, events,
                credit, qos, emergency, announcement, registrations, clock);
        this.terminating = new TerminatingSetup(sip, media, calls, registrations, admission, steps, teardown, signals,
                events, credit, qos, clock);
        this.refresher = new SessionRefresher(sip, signals, work, timers, teardown);
        this.forks = new ForkFollower(signals);
        this.reliable = new ReliableProvisionals(sip);
        this.answers = new AnswerRelay(sip, media, offers, signals, reliable, refresher, steps, teardown,
                new CallDurationLimit(timers, work, teardown), events, announcement, qos,
                new PrackTimeout(sip, timers, work, teardown, sip.settings.t1()), clock);
        this.dialogs = new DialogRelay(sip, media, signals, offers, steps, teardown, events, announcement, qos);
        ports.policy().watchBarring(this::releaseBarred);
    }

    /** The serial-queue key for a message with this Call-ID: its call's, when it belongs to one. */
    public String keyFor(String sipCallId) {
        return calls.keyFor(sipCallId);
    }

    /** Whether a call of the B2BUA has a leg with this Call-ID. */
    public boolean hasCall(String sipCallId) {
        return calls.owns(sipCallId);
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
        return calls.all().stream().map(B2bua::view).toList();
    }

    /** How many calls the B2BUA holds, without building their views (for the server's meters). */
    public int callCount() {
        return calls.size();
    }

    /**
     * Whether a chargeable request (a MESSAGE) must be refused because charging cannot keep its record now; if so it
     * has been answered 503, as a new call would be.
     */
    public boolean chargingBacklogged(ServerTransaction st, String what) {
        return admission.backlogged(st, what);
    }

    /** As {@link #chargingBacklogged} for a MESSAGE from the core: recorded, never debited, so the OCS has no say. */
    public boolean recordsBacklogged(ServerTransaction st, String what) {
        return admission.recordsBacklogged(st, what);
    }

    /** Whether a client's INVITE asks for an emergency session (refused with 380 whatever the core's state). */
    public boolean isEmergency(Request request) {
        return emergency.isEmergency(request);
    }

    /**
     * Answers an emergency INVITE with the 380 at once, on the calling thread (a door that must not queue it); the
     * flow it came over, or null from the core.
     */
    public void refuseEmergency(ServerTransaction st, Request invite, Flow flow) {
        emergency.refuse(st, flow, invite.getRequestURI().toString());
    }

    /** The B2BUA's test of {@link #isEmergency}, for a door that sees requests before any B2BUA does. */
    public static java.util.function.Predicate<Request> emergencyInvites(EmergencyPolicy policy) {
        return request -> EmergencyRefusal.asks(policy, request);
    }

    /** An initial INVITE from a WebRTC client (TS 24.229 §5.2.7.2 originating). */
    public void originate(ServerTransaction st, Request invite, Flow flow) throws ParseException, SipException {
        originating.originate(st, invite, flow);
    }

    /** An initial INVITE from the core for a WebRTC client's flow (TS 24.229 §5.2.7.3 terminating). */
    public void terminate(ServerTransaction st, Request invite, Flow flow)
            throws ParseException, SipException, InvalidArgumentException {
        terminating.terminate(st, invite, flow);
    }

    /**
     * A 2xx to an INVITE from the core, seen before the stack: looked at again on its call's queue a little later,
     * when the B2BUA has taken the branch that answered, in case the stack discards it (see {@link #strayAnswer}).
     */
    public void sawAnswer(Response ok) {
        Response copy = (Response) ok.clone();
        // a second look at a copy the stack may also have handed over: it releases a branch, never ACKs a repeat
        timers.schedule(() -> work.execute(keyFor(callIdOf(copy)), () -> stray(copy, false)), STRAY_CHECK_MS,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * A 2xx from the core that a dialog ended with its call never took, kept from the stack (which would drop it):
     * received, so a repeat of a branch already released is ACKed again.
     */
    public void untakenAnswer(Response ok) {
        work.execute(keyFor(callIdOf(ok)), () -> stray(ok, true));
        sawAnswer(ok); // and the second look, for a live call that has not yet taken its answer
    }

    /**
     * A response that reached no transaction. A 2xx to the initial INVITE of one of our IMS legs from a branch other
     * than the one that answered (two 2xx racing on the stack's threads, or a branch answering after its call ended,
     * the call then found through the INVITE transaction the stack keeps for forks) is ACKed and ended with BYE
     * (RFC 3261 §13.2.2.4), so that the branch does not stay answered at the core; anything else is dropped.
     */
    public void strayAnswer(Response response) {
        stray(response, true);
    }

    /** {@code received}: a copy the stack handed over, which may be ACKed again as a repeat of a released branch. */
    private void stray(Response response, boolean received) {
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (response.getStatusCode() / 100 != 2 || cseq == null || !Request.INVITE.equals(cseq.getMethod())) {
            LOG.fine(() -> "Response with no transaction dropped: " + response.getStatusCode());
            return;
        }
        String sipCallId = callIdOf(response);
        Call call = calls.find(sipCallId, ((FromHeader) response.getHeader(FromHeader.NAME)).getTag());
        if (call != null) {
            releaseBranch(call, call.leg(sipCallId), response, received);
            return;
        }
        LegTransaction ended = endedLegOf(response, sipCallId);
        if (ended != null) {
            // on the ended call's own queue, where a 2xx that crossed its CANCEL may still be in hand (Teardown)
            work.execute(ended.call().key, () -> releaseBranch(ended.call(), ended.leg(), response, received));
        } else {
            LOG.fine(() -> "A 2xx with no transaction and no call dropped");
        }
    }

    /**
     * Releases the branch this 2xx comes from unless the leg took it, or its INVITE transaction still will (a live
     * call not yet answered); a repeat of a branch already released, received again from the core, is only ACKed
     * again (RFC 3261 §13.2.2.4: every 2xx is acknowledged).
     */
    private void releaseBranch(Call call, Leg leg, Response response, boolean received) {
        String branch = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
        // only the called IMS leg's initial INVITE forks: a re-INVITE's 2xx has the dialog's own To tag
        if (leg == null || leg.side != Side.IMS || leg != call.called() || branch == null
                || (leg.answeredBy != null ? leg.answeredBy.equals(branch) : call.isLive())) {
            LOG.fine(() -> "A 2xx with no transaction dropped: its branch is the one " + call + " took or will take");
            return;
        }
        boolean first = leg.releasedBranches.add(branch);
        if (!first && !received) {
            return; // the copy the B2BUA already took, or the stack handed over: one ACK for it (SIPp counts a second)
        }
        if (first) {
            LOG.info(() -> "Releasing an answer from branch " + branch + " of " + call
                    + (call.isLive() ? ", answered by another" : ", which has ended"));
        }
        try {
            signals.ackAndByeUnbound(call, leg, response, first);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.INFO, "Could not release a branch of " + call, e);
        }
    }

    /**
     * The called IMS leg of an ended call this 2xx answers, from the INVITE transaction the stack keeps under the
     * Call-ID and From tag: the leg's initial INVITE, or a re-INVITE sent on it since (the stack keeps the last); or
     * null.
     */
    private LegTransaction endedLegOf(Response ok, String sipCallId) {
        ClientTransaction invite = sip.answeredInvite(ok);
        return invite != null && invite.getApplicationData() instanceof LegTransaction lt && lt.leg() != null
                && lt.leg() == lt.call().called() && lt.leg().side == Side.IMS && sipCallId.equals(lt.leg().sipCallId)
                ? lt : null;
    }

    /** A response on a client transaction the B2BUA opened. */
    public void onResponse(ClientTransaction ct, Response response, Dialog dialog) {
        if (!(ct.getApplicationData() instanceof LegTransaction lt)) {
            return;
        }
        try {
            switch (lt.purpose()) {
                case INITIAL -> {
                    if (!forks.handled(lt.call(), lt.leg(), response, dialog)) {
                        answers.onResponse(lt.call(), lt.leg(), response);
                    }
                }
                case RELAY -> dialogs.relayResponse(lt, response);
                case REFRESH -> refresher.answered(lt, response);
                case TEARDOWN -> { }
            }
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Failed to handle " + response.getStatusCode() + " in " + lt.call(), e);
            teardown.abandon(lt.call(), internalError("its " + response.getStatusCode()));
        }
    }

    /** A request for a leg of a live call (ACK, CANCEL, BYE, re-INVITE, UPDATE, INFO, ...); st is null for ACK. */
    public void inDialog(ServerTransaction st, Request request) {
        Call call = calls.find(callIdOf(request), ((ToHeader) request.getHeader(ToHeader.NAME)).getTag());
        if (call == null) {
            if (st != null) {
                sipRespond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            }
            return;
        }
        Leg leg = call.leg(callIdOf(request)); // from the leg's own side: EntryValve refused any other
        Leg other = call.other(leg);
        try {
            switch (request.getMethod()) {
                case Request.ACK -> dialogs.ackWithAnswer(call, leg, other, request);
                case Request.CANCEL -> teardown.cancel(call, leg, other, st);
                case Request.BYE -> teardown.bye(call, leg, other, st);
                case Request.PRACK -> reliable.onPrack(call, leg, other, st);
                default -> dialogs.relay(call, leg, other, st, request);
            }
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Failed to handle " + request.getMethod() + " in " + call, e);
            if (st != null) {
                sipRespond(st, Response.SERVER_INTERNAL_ERROR);
            }
            if (Request.BYE.equals(request.getMethod()) || Request.CANCEL.equals(request.getMethod())
                    || Request.ACK.equals(request.getMethod())) {
                // asked to end: never left half up; nor a call whose held 2xx would then never be ACKed
                teardown.abandon(call, internalError("its " + request.getMethod()));
            }
        }
    }

    /** RFC 3261 §17.1.1.3: no final answer to the initial INVITE counts as 408; mid-dialog, the origin gets 408. */
    public void onTimeout(ClientTransaction ct) {
        if (!(ct.getApplicationData() instanceof LegTransaction lt)) {
            return;
        }
        Call call = lt.call();
        if (lt.purpose() == LegTransaction.Purpose.INITIAL && call.isLive()) {
            teardown.timedOut(call, lt.leg().side);
        } else if (lt.purpose() == LegTransaction.Purpose.RELAY) {
            sipRespond(lt.originServer(), Response.REQUEST_TIMEOUT);
        }
    }

    /**
     * RFC 3261 §13.3.1.4: the ACK of a 2xx we sent on this dialog never came within 64*T1 ({@code ourAnswer}): the
     * call ends on both legs, with BYE and a Reason. An ACK we owe on it that never went out ends it too, unless it
     * waits for the other leg's answer ({@link Leg#offerAwaitingAck}) and our 2xx to that leg has left: that leg's
     * own timer, started then, decides. A dialog of no live call, or not the dialog of its leg (another branch's,
     * ACKed and ended on its own), is only let go (the stack keeps it until told).
     */
    public void ackTimedOut(Dialog dialog, boolean ourAnswer) {
        Call call = calls.find(dialog.getCallId().getCallId(), dialog.getLocalTag());
        Leg leg = call == null ? null : call.leg(dialog.getCallId().getCallId());
        if (leg == null || !call.isLive() || !dialog.equals(leg.dialog)) {
            dialog.delete();
            return;
        }
        if (!ourAnswer && leg.offerAwaitingAck != null && call.isConfirmed()) {
            return; // our 2xx to the other leg left: its own ACK timer runs
        }
        String why = ourAnswer ? "no ACK from the " + leg.side + " side for the 2xx sent to it"
                : "no ACK was sent for the 2xx of the " + leg.side + " side";
        LOG.info(() -> "Releasing " + call + ": " + why);
        Party silent = ourAnswer ? Teardown.party(leg) : Party.GATEWAY;
        teardown.abandon(call, new CallEnd(EndCause.TIMEOUT, silent, Response.REQUEST_TIMEOUT, why),
                teardown.reason(Response.REQUEST_TIMEOUT, why));
    }

    /**
     * The stack ended the INVITE transaction of a calling leg still waiting for our final answer: a reliable 18x of
     * ours unacknowledged after the stack's own 68 ticks (34 s), when {@link PrackTimeout}'s 504 could not go first;
     * or a response to it could not be sent (the stack reports a transport error as a timeout too). The call ends, its
     * called leg with CANCEL or BYE; nothing can go to the caller on that transaction any more. Any other timeout of a
     * server transaction (Timer H) finds no INVITE pending and is ignored.
     */
    public void onServerTimeout(ServerTransaction st) {
        String callId = callIdOf(st.getRequest());
        Call call = calls.find(callId, null);
        Leg leg = call == null ? null : call.leg(callId);
        if (leg == null || leg.inviteServer != st || !call.isLive()) {
            return;
        }
        boolean prackAwaited = leg.ownReliableUnacked || leg.prackAwaited != null;
        leg.answered(); // nothing more can be sent on it
        String why = prackAwaited ? "no PRACK from the " + leg.side + " side for the reliable provisional response"
                : "the INVITE of the " + leg.side + " side could not be answered (its transaction failed)";
        LOG.info(() -> "Releasing " + call + ": " + why);
        EndCause cause = prackAwaited ? EndCause.TIMEOUT
                : leg.flow != null && !leg.flow.connection().isOpen() ? EndCause.FLOW_CLOSED : EndCause.GATEWAY_ERROR;
        teardown.abandon(call, new CallEnd(cause, prackAwaited ? Teardown.party(leg) : Party.GATEWAY, 0, why),
                teardown.reason(prackAwaited ? Response.REQUEST_TIMEOUT : Response.SERVER_INTERNAL_ERROR, why));
    }

    /** A WebSocket closed: its calls end, toward the core with BYE or CANCEL (RFC 5626 §5.3 flow failure). */
    public void flowClosed(Flow flow) {
        for (Call call : calls.over(flow.id())) {
            work.execute(call.key, () -> teardown.flowClosed(call));
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

    /** TS 22.228 §11.2: a subscriber the operator bars loses the calls in progress, with a Reason on each BYE. */
    private void releaseBarred(String impu, Source source) {
        String why = "subscriber barred by " + source.describe();
        for (Call call : calls.all()) {
            if (impu.equals(Impus.normalise(call.subscriber))) {
                work.execute(call.key, () -> teardown.abandon(call,
                        new CallEnd(EndCause.POLICY_LIMIT, Party.GATEWAY, Response.FORBIDDEN, why),
                        teardown.reason(Response.FORBIDDEN, why)));
            }
        }
    }

    private void sipRespond(ServerTransaction st, int status) {
        teardown.respond(st, status);
    }

    private static CallEnd internalError(String what) {
        return new CallEnd(EndCause.GATEWAY_ERROR, Party.GATEWAY, Response.SERVER_INTERNAL_ERROR,
                "failed to handle " + what);
    }

    private static CallView view(Call call) {
        return new CallView(call.id, call.direction, call.state(), call.caller, call.callee,
                call.webrtc.flow.id().toString(), call.webrtc.sipCallId, call.ims == null ? null : call.ims.sipCallId,
                call.webrtc.media.describe(), call.ims == null ? "" : call.ims.media.describe(), call.startedAt,
                call.answeredAt());
    }

    static String callIdOf(Message message) {
        return ((CallIdHeader) message.getHeader(CallIdHeader.NAME)).getCallId();
    }

    static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    static String newCallId() {
        return UUID.randomUUID().toString();
    }
}

package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.call.AnswerCompletion;
import org.webims.gateway.sip.signalling.SipContext;
import org.webims.gateway.sip.media.Side;

/**
 * The requests and headers the B2BUA sends on a leg's dialog on its own: ACK, BYE, CANCEL, our Contact and Allow,
 * and in-dialog requests routed down the leg (a WebRTC leg's flow, whatever its remote target says).
 */
final class LegSignals {
    private static final Logger LOG = Logger.getLogger(LegSignals.class.getName());
    private final SipContext sip;

    LegSignals(SipContext sip) {
        this.sip = sip;
    }

    Address ourContact(Side side) throws ParseException {
        SipURI uri = sip.addresses.createSipURI("b2bua", sip.settings.sipHost());
        if (side == Side.WEBRTC) {
            uri.setPort(sip.settings.wsPort());
            uri.setTransportParam("ws");
        } else {
            uri.setPort(sip.settings.sipPort());
        }
        return sip.addresses.createAddress(uri);
    }

    void ack(Leg leg, Response response) throws SipException, InvalidArgumentException {
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Request ack = leg.dialog.createAck(cseq);
        leg.route(ack);
        leg.dialog.sendAck(ack);
    }

    void sendInDialog(Leg to, Request request, LegTransaction lt)
            throws SipException, ParseException, InvalidArgumentException {
        if (to.side == Side.IMS) {
            sip.routeTowardCore(request); // a large re-INVITE or INFO goes over TCP too (RFC 3261 §18.1.1)
        }
        to.route(request);
        ClientTransaction ct = sip.newClientTransaction(request);
        ct.setApplicationData(lt);
        to.dialog.sendRequest(ct);
    }

    /** RFC 3261 §13.2.2.4: a 2xx from a fork we do not want is acknowledged and its dialog ended at once. */
    void ackAndBye(Call call, Leg leg, javax.sip.Dialog fork, Response response, boolean bye)
            throws SipException, InvalidArgumentException {
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Request ack = fork.createAck(cseq);
        leg.route(ack);
        fork.sendAck(ack);
        if (!bye) {
            return; // a repeat of the branch's 2xx: its BYE went with the first
        }
        Request byeRequest = fork.createRequest(Request.BYE);
        leg.route(byeRequest);
        ClientTransaction ct = sip.newClientTransaction(byeRequest);
        ct.setApplicationData(new LegTransaction(call, leg, LegTransaction.Purpose.TEARDOWN, null, null));
        fork.sendRequest(ct);
    }

    /**
     * RFC 3261 §13.2.2.4 for a 2xx the stack bound to no dialog of its own: the ACK and the BYE are built from the 2xx
     * itself (its Contact as target, its Record-Route reversed as route set, its Call-ID, From and To) and sent on
     * their own, so that the branch that lost is released all the same.
     */
    void ackAndByeUnbound(Call call, Leg leg, Response ok) throws SipException, InvalidArgumentException,
            ParseException {
        ackAndByeUnbound(call, leg, ok, true);
    }

    /** As {@link #ackAndByeUnbound(Call, Leg, Response)}; a retransmitted 2xx ({@code bye} false) is only ACKed. */
    void ackAndByeUnbound(Call call, Leg leg, Response ok, boolean bye) throws SipException,
            InvalidArgumentException, ParseException {
        ContactHeader contact = (ContactHeader) ok.getHeader(
                ContactHeader.NAME);
        if (contact == null) {
            LOG.info(() -> "A 2xx without Contact in " + call + " cannot be acknowledged");
            return;
        }
        long cseq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
        sip.provider.sendRequest(requestFrom(leg, ok, contact, Request.ACK, cseq));
        if (!bye) {
            return;
        }
        // RFC 3261 §12.2.1.1: above every CSeq this side used in the branch's dialog (PRACKs, UPDATEs of its early
        // dialog), which may be any of the leg's
        long used = leg.dialogs().stream().mapToLong(javax.sip.Dialog::getLocalSeqNumber).max().orElse(0);
        Request byeRequest = requestFrom(leg, ok, contact, Request.BYE, Math.max(cseq, used) + 1);
        ClientTransaction ct = sip.newClientTransaction(byeRequest);
        ct.setApplicationData(new LegTransaction(call, leg, LegTransaction.Purpose.TEARDOWN, null, null));
        ct.sendRequest();
    }

    private Request requestFrom(Leg leg, Response ok, ContactHeader contact, String method, long cseq)
            throws ParseException, InvalidArgumentException {
        String transport = leg.flowHop != null ? leg.flowHop.getTransport() : "udp";
        Request request = sip.messages.createRequest((URI) contact.getAddress().getURI().clone(),
                method, (CallIdHeader) ok.getHeader(CallIdHeader.NAME).clone(),
                sip.headers.createCSeqHeader(cseq, method),
                (FromHeader) ok.getHeader(FromHeader.NAME).clone(),
                (ToHeader) ok.getHeader(ToHeader.NAME).clone(),
                new ArrayList<>(List.of(sip.newVia(transport))), sip.headers.createMaxForwardsHeader(70));
        List<Header> routes = new ArrayList<>();
        ListIterator<?> recordRoutes = ok.getHeaders(RecordRouteHeader.NAME);
        while (recordRoutes.hasNext()) {
            var recordRoute = (RecordRouteHeader) recordRoutes.next();
            routes.add(0, sip.headers.createRouteHeader((Address) recordRoute.getAddress().clone()));
        }
        routes.forEach(request::addHeader); // RFC 3261 §12.1.2: the UAC's route set is the Record-Route reversed
        if (leg.side == Side.IMS) {
            sip.routeTowardCore(request); // its transport (TCP when too large, RFC 3261 §18.1.1)
        }
        leg.route(request); // a WebRTC leg: its client's WebSocket, whatever the Contact says
        return request;
    }

    /** The initial INVITE of a leg, on a new client transaction whose dialog becomes the leg's (RFC 3261 §12.1.2). */
    void sendInitialInvite(Call call, Leg leg, Request invite) throws SipException {
        ClientTransaction ct = sip.newClientTransaction(invite);
        leg.dialog = sip.provider.getNewDialog(ct);
        leg.inviteClient = ct;
        ct.setApplicationData(new LegTransaction(call, leg, LegTransaction.Purpose.INITIAL, null, null));
        try {
            if (leg.side == Side.IMS) {
                sip.sendTowardCore(ct);
            } else {
                ct.sendRequest();
            }
        } catch (SipException | RuntimeException e) {
            leg.inviteClient = null; // it never left: nothing to CANCEL later
            throw e;
        }
    }

    void sendBye(Call call, Leg leg) throws SipException {
        sendBye(call, leg, null);
    }

    /** A BYE on the leg's dialog, with a Reason (RFC 3326) saying why the gateway ends the call when given. */
    void sendBye(Call call, Leg leg, Header reason) throws SipException {
        Request bye = leg.dialog.createRequest(Request.BYE);
        if (reason != null) {
            bye.addHeader(reason);
        }
        leg.route(bye);
        ClientTransaction ct = sip.newClientTransaction(bye);
        ct.setApplicationData(new LegTransaction(call, leg, LegTransaction.Purpose.TEARDOWN, null, null));
        leg.dialog.sendRequest(ct);
    }

    /**
     * Ends the called leg whatever point it reached: CANCEL while its INVITE is pending, BYE once its dialog is
     * confirmed (a 2xx already ACKed while the media gateway was still rewriting the answer), nothing otherwise.
     */
    void release(Call call, Leg leg) throws SipException {
        release(call, leg, null);
    }

    /**
     * As {@link #release(Call, Leg)}, a BYE carrying {@code reason} (RFC 3326) when given; a 2xx whose ACK waited for
     * the other leg's answer is acknowledged first ({@link #ackHeldDeclining}).
     */
    void release(Call call, Leg leg, Header reason) throws SipException {
        if (leg.inviteClient != null) {
            cancelPendingInvite(call, leg);
        } else if (leg.dialog != null && leg.dialog.getState() == javax.sip.DialogState.CONFIRMED) {
            ackHeldDeclining(call, leg);
            sendBye(call, leg, reason == null ? null : (Header) reason.clone());
        }
    }

    /**
     * The ACK of the 2xx held in {@link Leg#offerAwaitingAck} (its offer waited for the other leg's answer) when no
     * answer will come: it carries one declining every stream (RFC 3261 §13.2.2.4: the ACK of a 2xx with an offer
     * carries an answer, then the BYE follows). Sent once; nothing when none is held.
     */
    void ackHeldDeclining(Call call, Leg leg) {
        Response held = leg.offerAwaitingAck;
        leg.offerAwaitingAck = null;
        if (held == null) {
            return;
        }
        try {
            Request ack = leg.dialog.createAck(((CSeqHeader) held.getHeader(CSeqHeader.NAME)).getSeqNumber());
            String offer = SipBodies.sdp(held);
            if (offer != null) {
                SipBodies.setSdp(ack, sip.headers, AnswerCompletion.declining(offer));
            }
            if (leg.side == Side.IMS) {
                sip.routeTowardCore(ack); // its transport, as any request toward the core
            }
            leg.route(ack);
            leg.dialog.sendAck(ack);
        } catch (InvalidArgumentException | SipException | ParseException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not acknowledge the " + leg + " of " + call, e);
        }
    }

    /** Answers the re-INVITE held in {@link Leg#reinviteAwaitingAck}, if any, with {@code status} and a Warning. */
    void answerReinviteAwaitingAck(Leg leg, int status, String warning) {
        javax.sip.ServerTransaction held = leg.reinviteAwaitingAck;
        leg.reinviteAwaitingAck = null;
        if (held != null) {
            sip.respondWithWarning(held, status, null, warning);
        }
    }

    void cancelPendingInvite(Call call, Leg leg) throws SipException {
        ClientTransaction invite = leg.inviteClient;
        leg.inviteClient = null;
        if (invite == null) {
            return;
        }
        Request cancel = invite.createCancel();
        leg.route(cancel);
        ClientTransaction ct = sip.newClientTransaction(cancel);
        ct.setApplicationData(new LegTransaction(call, leg, LegTransaction.Purpose.TEARDOWN, null, null));
        ct.sendRequest();
    }

    void addAllow(Request request) throws ParseException {
        for (String method : B2bua.ALLOW) {
            request.addHeader(sip.headers.createAllowHeader(method));
        }
    }

    static void copyHeader(Request from, Request to, String name) {
        var it = from.getHeaders(name);
        while (it.hasNext()) {
            to.addHeader((Header) ((Header) it.next()).clone());
        }
    }

    static String headerValue(javax.sip.message.Message message, String name) {
        Header header = message.getHeader(name);
        if (header == null) {
            return null;
        }
        String text = header.toString();
        int colon = text.indexOf(':');
        return colon < 0 ? null : text.substring(colon + 1).trim();
    }
}

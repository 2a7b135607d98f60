package org.webims.gateway.sip.edge;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.ResponseEventExt;
import gov.nist.javax.sip.SipListenerExt;
import org.webims.gateway.sip.signalling.RequestRetention;
import org.webims.gateway.sip.signalling.SipContext;
import gov.nist.javax.sip.message.SIPRequest;
import java.text.ParseException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.ports.identity.AccessTokens;
import org.webims.gateway.ports.policy.CallPolicy;
import org.webims.gateway.sip.b2bua.B2bua;
import org.webims.gateway.sip.flow.FlowTable;
import org.webims.gateway.sip.registration.CoreBindings;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;
import org.webims.gateway.sip.transport.WebSocketMessageChannel;

/**
 * The stack's listener: it only decides which side a request came from and queues the work on the application
 * executor, serialised per Call-ID, so the stack's and the web container's threads never wait for it (while that
 * executor cannot keep up, clients' requests that would start new work never get here: {@link OwnOverload} refuses
 * them at the WebSocket door).
 */
public final class EdgeProxy implements SipListenerExt {
    private static final Logger LOG = Logger.getLogger(EdgeProxy.class.getName());
    private static final org.webims.gateway.sip.logging.PeriodicCountLog FULL =
            new org.webims.gateway.sip.logging.PeriodicCountLog(LOG, java.time.Duration.ofSeconds(10));
    private static final org.webims.gateway.sip.logging.PeriodicCountLog STRANGERS =
            new org.webims.gateway.sip.logging.PeriodicCountLog(LOG, java.time.Duration.ofSeconds(10));
    private static final org.webims.gateway.sip.logging.PeriodicCountLog DROPPED_ANSWERS =
            new org.webims.gateway.sip.logging.PeriodicCountLog(LOG, java.time.Duration.ofSeconds(10));
    /**
     * Tasks of one Call-ID past which, while the workers' queue is full, more of its requests are refused (ACKs
     * excepted: the stack stops a 2xx's retransmissions on the ACK, so one turned away would be lost): a call has a
     * few at a time (a BYE, a response, a timer), so only a flood on its own Call-ID is turned away.
     */
    public static final int MAX_QUEUED_PER_CALL_WHILE_FULL = 32;
    private final RegistrationStore registrations;

    private final SipContext sip;
    private final KeyedSerialExecutor work;
    private final ClientRequests fromClients;
    private final CoreRequests fromCore;
    private final Responses responses;
    private final B2bua b2bua;
    private final CoreWatch core;

    public EdgeProxy(SipContext sip, FlowTable flows, RegistrationStore registrations, B2bua b2bua,
            KeyedSerialExecutor work, CoreWatch core, CoreBindings coreBindings, CallPolicy policy,
            AccessTokens tokens, org.webims.gateway.ports.policy.DialPlan dialPlan,
            org.webims.gateway.ports.call.CallEventListener events,
            org.webims.gateway.ports.charging.CreditControl credit) {
        this.sip = sip;
        this.work = work;
        this.b2bua = b2bua;
        RegisterThrottle throttle = new RegisterThrottle(sip, sip.settings.authThrottle(), java.time.Clock.systemUTC());
        this.core = core;
        this.registrations = registrations;
        ClientPolicy clientPolicy = new ClientPolicy(sip, policy, flows, registrations, work);
        this.fromClients = new ClientRequests(sip, registrations, coreBindings, b2bua, throttle, clientPolicy,
                new BearerRegistration(sip, tokens), dialPlan, credit, work);
        this.fromCore = new CoreRequests(sip, flows, b2bua, registrations, clientPolicy);
        this.responses = new Responses(sip, registrations, coreBindings, throttle, events);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        if (event.getServerTransaction() != null) {
            sip.timed(event.getServerTransaction()); // made by the stack: before its own 100 Trying starts them
        }
        String callId = callId(request);
        String key = b2bua.keyFor(callId);
        if (work.full()) {
            if (startsNewWork(request) || !Request.ACK.equals(request.getMethod())
                    && work.hasMoreThan(key, MAX_QUEUED_PER_CALL_WHILE_FULL)) {
                refuseWhileFull(event);
                return;
            }
            if (stranger(key, callId)) {
                answerStranger(event);
                return;
            }
        }
        work.execute(key, () -> onRequest(event));
    }

    /**
     * While the keys waiting beside the workers' full queue number as many as the queue holds, work of a Call-ID with
     * nothing queued and no call of the B2BUA (a late request of an ended call, a forged one, a stray answer) is not
     * taken: each would wait as a key of its own, and their number would have no bound.
     */
    private boolean stranger(String key, String callId) {
        return work.crowded() && !work.hasWork(key) && !b2bua.hasCall(callId);
    }

    /**
     * A request outside any dialog that is not an ACK, a CANCEL (RFC 3261 §9.2: it ends an accepted INVITE) or an
     * emergency call (the B2BUA's 380): new work, refused while the workers' queue is full.
     */
    private boolean startsNewWork(Request request) {
        String method = request.getMethod();
        return ((javax.sip.header.ToHeader) request.getHeader(javax.sip.header.ToHeader.NAME)).getTag() == null
                && !Request.ACK.equals(method) && !Request.CANCEL.equals(method) && !b2bua.isEmergency(request);
    }

    /**
     * The last line of overload control (RFC 7339 §1): the workers' queue is full, so new work (or a request of a
     * Call-ID that already has more than {@link #MAX_QUEUED_PER_CALL_WHILE_FULL} tasks waiting) is refused at once, on
     * this thread, with 503 and Retry-After (a 500 toward the core, {@link SipContext#statusToward}); what is accepted
     * waits for a worker and is never refused.
     */
    private void refuseWhileFull(RequestEvent event) {
        ServerTransaction st = serverTransaction(event);
        if (st == null) {
            return;
        }
        FULL.record(count -> count + " requests refused with 503 (500 toward the core) and Retry-After since the"
                + " last such line: the SIP workers' queue is full, the last a " + event.getRequest().getMethod());
        sip.respondWithWarning(st, Response.SERVICE_UNAVAILABLE, "Service Unavailable (gateway overloaded)",
                "the gateway is overloaded, try again later");
    }

    /**
     * A request of a stranger (see {@link #stranger}) gets at once, on this thread, the answer a worker would give
     * it: 481 to a request within a dialog or a CANCEL (RFC 3261 §12.2.2, §9.2), the 380 to an emergency INVITE;
     * an ACK is dropped. Nothing of it waits.
     */
    private void answerStranger(RequestEvent event) {
        Request request = event.getRequest();
        STRANGERS.record(count -> count + " requests of no call answered on arrival since the last such line (481,"
                + " an emergency INVITE's 380, an ACK dropped): the SIP workers' queue is full and as many Call-IDs"
                + " wait beside it; the last a " + request.getMethod());
        if (Request.ACK.equals(request.getMethod())) {
            return;
        }
        boolean withinDialog = ((javax.sip.header.ToHeader) request.getHeader(javax.sip.header.ToHeader.NAME))
                .getTag() != null;
        if (!withinDialog && Request.INVITE.equals(request.getMethod())) { // an emergency one: startsNewWork passed it
            if (((SIPRequest) request).getMessageChannel() instanceof WebSocketMessageChannel channel) {
                ServerTransaction st = serverTransaction(event);
                if (st != null) {
                    b2bua.refuseEmergency(st, request, channel.flow());
                }
            } else {
                refuseWhileFull(event); // from the core it is a terminating call: new work, refused as such
            }
            return;
        }
        ServerTransaction st = serverTransaction(event);
        if (st != null) {
            sip.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        // A 2xx of another fork after the first one ended the INVITE transaction comes without one (RFC 3261
        // §17.1.1.2); the stack still names the transaction it answers.
        var ct = event.getClientTransaction() != null ? event.getClientTransaction()
                : event instanceof ResponseEventExt ext && ext.isForkedResponse()
                        && answers(ext.getOriginalTransaction(), event.getResponse()) ? ext.getOriginalTransaction()
                        : null;
        if (ct == null) {
            // a 2xx of a branch that raced the first one may reach no transaction at all: the B2BUA releases it
            String callId = callId(event.getResponse());
            String key = b2bua.keyFor(callId);
            if (work.full() && stranger(key, callId)) {
                DROPPED_ANSWERS.record(count -> count + " answers of no transaction and no call of ours dropped"
                        + " since the last such line: the SIP workers' queue is full and as many Call-IDs wait beside"
                        + " it");
                return; // a 2xx is sent again until ACKed (RFC 3261 §13.3.1.4): released once the workers catch up
            }
            work.execute(key, () -> b2bua.strayAnswer(event.getResponse()));
            return;
        }
        core.answered(ct);
        if (CoreWatch.isProbe(ct)) {
            return;
        }
        if (ct.getApplicationData() instanceof ProxiedTransaction proxied && proxied.message() == null
                && proxied.flow() != null) {
            // A proxied response from the core to a client's request (REGISTER, SUBSCRIBE, OPTIONS...) touches no
            // call: it is relayed on the receiving thread, in memory only, down the client's WebSocket (an
            // asynchronous send), saving a hand-off per response (issue 14). A MESSAGE's response goes on to the
            // executor below (its charging record is handed to the charging port), and so does a client's response
            // to the core, whose relay may open a TCP connection.
            try {
                responses.handle(ct, event.getResponse());
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Unexpected failure relaying " + event.getResponse().getStatusCode() + " of "
                        + proxied.forwarded().getMethod() + " " + callId(event.getResponse()), e);
            }
            return;
        }
        var dialog = event.getDialog();
        work.execute(b2bua.keyFor(callId(event.getResponse())), () -> {
            if (ct.getApplicationData() instanceof ProxiedTransaction) {
                responses.handle(ct, event.getResponse());
            } else {
                b2bua.onResponse(ct, event.getResponse(), dialog);
            }
        });
    }

    /**
     * Whether a response answers this transaction's request: the stack remembers one INVITE per Call-ID and From tag
     * for forks, which a later re-INVITE of the same dialog replaces.
     */
    private static boolean answers(javax.sip.ClientTransaction ct, javax.sip.message.Response response) {
        if (ct == null) {
            return false;
        }
        var sent = (javax.sip.header.CSeqHeader) ct.getRequest().getHeader(javax.sip.header.CSeqHeader.NAME);
        var got = (javax.sip.header.CSeqHeader) response.getHeader(javax.sip.header.CSeqHeader.NAME);
        return sent.getSeqNumber() == got.getSeqNumber() && sent.getMethod().equals(got.getMethod());
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            var ct = event.getClientTransaction();
            if (ct.getRequest() == null) {
                // answered after all: Timer F fired as the final response came, and the answered transaction already
                // let go of its request (RequestRetention); the answer was handled
                return;
            }
            core.timedOut(ct);
            if (CoreWatch.isProbe(ct)) {
                return;
            }
            work.execute(b2bua.keyFor(callId(ct.getRequest())), () -> {
                if (ct.getApplicationData() instanceof ProxiedTransaction) {
                    responses.timedOut(ct);
                } else {
                    b2bua.onTimeout(ct);
                }
            });
        } else {
            ServerTransaction st = event.getServerTransaction(); // e.g. no PRACK for a reliable 18x (RFC 3262 §3)
            Request request = st == null ? null : st.getRequest();
            if (request != null && Request.INVITE.equals(request.getMethod()) && b2bua.hasCall(callId(request))) {
                work.execute(b2bua.keyFor(callId(request)), () -> b2bua.onServerTimeout(st));
            }
        }
    }

    /**
     * A dialog timer of the stack ran out; the stack keeps the dialog (this is a {@link SipListenerExt}). RFC 3261
     * §13.3.1.4: a 2xx we sent got no ACK within 64*T1 ("the session SHOULD be terminated"), or an ACK we owe never
     * went out: the B2BUA decides on the call's queue. An early dialog of more than EARLY_DIALOG_TIMEOUT_SECONDS only
     * loses the dialog, as the stack does for a listener without this method.
     */
    @Override
    public void processDialogTimeout(DialogTimeoutEvent event) {
        Dialog dialog = event.getDialog();
        DialogTimeoutEvent.Reason reason = event.getReason();
        if (reason == DialogTimeoutEvent.Reason.EarlyStateTimeout) {
            LOG.fine(() -> "Dialog " + dialog.getDialogId() + " timed out in its early state");
            dialog.delete();
            return;
        }
        work.execute(b2bua.keyFor(dialog.getCallId().getCallId()),
                () -> b2bua.ackTimedOut(dialog, reason == DialogTimeoutEvent.Reason.AckNotReceived));
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        core.transportError(event.getHost(), event.getPort());
        LOG.fine(() -> "Transport error toward " + event.getHost() + ":" + event.getPort() + "/"
                + event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // transactions carry no state of ours beyond their application data
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // dialogs are not created by the stack (AUTOMATIC_DIALOG_SUPPORT is off)
    }

    private void onRequest(RequestEvent event) {
        Request request = event.getRequest();
        boolean ack = Request.ACK.equals(request.getMethod());
        if (b2bua.owns(request)) {
            ServerTransaction st = ack ? null : serverTransaction(event);
            if (ack || st != null) {
                b2bua.inDialog(st, request);
            }
            return;
        }
        if (ack) {
            return; // an ACK for a non-2xx final response we sent is absorbed by its transaction (RFC 3261 §17.2.1)
        }
        ServerTransaction st = serverTransaction(event);
        if (st == null) {
            return;
        }
        try {
            if (((SIPRequest) request).getMessageChannel() instanceof WebSocketMessageChannel channel) {
                if (!b2bua.isEmergency(request) && (core.refuses(st, request)
                        || core.overloaded(st, request, channel.flow(),
                                registrations.forFlow(channel.flow().id()).isPresent()))) {
                    return; // the core is down or behind: 503 at once rather than 408 after 64*T1 (emergency: 380)
                }
                fromClients.handle(st, request, channel.flow());
            } else {
                fromCore.handle(st, request);
            }
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Failed to handle " + request.getMethod() + " " + callId(request), e);
            sip.respond(st, Response.SERVER_INTERNAL_ERROR, null);
        }
    }

    private ServerTransaction serverTransaction(RequestEvent event) {
        try {
            // the stack made it when it matched a dialog's BYE, PRACK or UPDATE, or a CANCEL to its INVITE
            ServerTransaction st = event.getServerTransaction();
            if (st == null) {
                st = sip.provider.getNewServerTransaction(event.getRequest());
                sip.timed(st);
            }
            RequestRetention.applyTo(st);
            return st;
        } catch (TransactionAlreadyExistsException retransmission) {
            return null; // the existing transaction already answers it
        } catch (TransactionUnavailableException e) {
            LOG.log(Level.WARNING, "No transaction for " + event.getRequest().getMethod() + ": " + e.getMessage());
            return null;
        }
    }

    private static String callId(Message message) {
        CallIdHeader callId = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        return callId == null ? "" : callId.getCallId();
    }
}

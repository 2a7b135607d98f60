package org.webims.gateway.sip.edge;

import gov.nist.javax.sip.message.SIPRequest;
import java.text.ParseException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.flow.FlowTable;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;
import org.webims.gateway.sip.transport.WebSocketMessageChannel;

/**
 * The stack's listener: it only decides which side a request came from and queues the work on the application
 * executor, serialised per Call-ID, so the stack's and the web container's threads never wait for it.
 */
public final class EdgeProxy implements SipListener {
    private static final Logger LOG = Logger.getLogger(EdgeProxy.class.getName());

    private final EdgeContext sip;
    private final KeyedSerialExecutor work;
    private final ClientRequests fromClients;
    private final CoreRequests fromCore;
    private final Responses responses;

    public EdgeProxy(javax.sip.SipProvider provider, javax.sip.message.MessageFactory messages,
            javax.sip.header.HeaderFactory headers, javax.sip.address.AddressFactory addresses,
            org.webims.gateway.sip.runtime.SipSettings settings, org.webims.gateway.sip.flow.FlowTokens tokens,
            FlowTable flows, RegistrationStore registrations, KeyedSerialExecutor work) throws ParseException {
        this.sip = new EdgeContext(provider, messages, headers, addresses, settings, tokens);
        this.work = work;
        this.fromClients = new ClientRequests(sip, registrations);
        this.fromCore = new CoreRequests(sip, flows);
        this.responses = new Responses(sip, registrations);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        work.execute(callId(request), () -> onRequest(event));
    }

    @Override
    public void processResponse(ResponseEvent event) {
        if (event.getClientTransaction() == null) {
            LOG.fine(() -> "Response with no transaction dropped: " + event.getResponse().getStatusCode());
            return;
        }
        work.execute(callId(event.getResponse()),
                () -> responses.handle(event.getClientTransaction(), event.getResponse()));
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            var ct = event.getClientTransaction();
            work.execute(callId(ct.getRequest()), () -> responses.timedOut(ct));
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
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
        if (Request.ACK.equals(request.getMethod())) {
            return; // an ACK for a non-2xx final response we sent is absorbed by its transaction (RFC 3261 §17.2.1)
        }
        ServerTransaction st = serverTransaction(event);
        if (st == null) {
            return;
        }
        try {
            if (((SIPRequest) request).getMessageChannel() instanceof WebSocketMessageChannel channel) {
                fromClients.handle(st, request, channel.flow());
            } else {
                fromCore.handle(st, request);
            }
        } catch (ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Failed to handle " + request.getMethod() + " " + callId(request), e);
            sip.respond(st, Response.SERVER_INTERNAL_ERROR, null);
        }
    }

    private ServerTransaction serverTransaction(RequestEvent event) {
        if (event.getServerTransaction() != null) {
            return event.getServerTransaction();
        }
        try {
            return sip.provider.getNewServerTransaction(event.getRequest());
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

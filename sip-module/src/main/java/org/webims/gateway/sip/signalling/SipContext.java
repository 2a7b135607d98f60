package org.webims.gateway.sip.signalling;

import gov.nist.javax.sip.header.HeaderFactoryExt;
import gov.nist.javax.sip.stack.HopImpl;
import java.text.ParseException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.flow.FlowTokens;
import org.webims.gateway.sip.logging.RateLimitedLog;
import org.webims.gateway.sip.runtime.SipSettings;
import org.webims.gateway.sip.transport.FlowRouter;

/**
 * The SIP tools the edge proxy and the B2BUA share: the provider, the factories, our own addresses, the next hops and
 * the answers we build. Both packages depend on this one; neither on the other through it.
 */
public final class SipContext {
    private static final Logger LOG = Logger.getLogger(SipContext.class.getName());
    /** Refusals a client can repeat at will: per cause at a bounded rate. */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.of(LOG);

    public final SipProvider provider;
    public final MessageFactory messages;
    /** JAIN-SIP's own, for the IMS headers it builds typed (Path, P-Charging-Vector) beside the standard ones. */
    public final HeaderFactoryExt headers;
    public final AddressFactory addresses;
    public final SipSettings settings;
    public final FlowTokens tokens;
    private final OriginatingTargets targets;
    private final SipURI coreEntry;
    private final UdpSizeLimit udpSizeLimit;
    /** What our own Via may add to a request after its size was measured (a branch, rport), in bytes. */
    private final int viaAllowance;
    /** The transaction timers of the configured T1 and T4: computed once, set on every transaction. */
    private final TransactionTimers timers;
    /** What the IMS core has not answered yet (overload control). */
    public final org.webims.gateway.sip.liveness.CoreBacklog coreBacklog;

    public SipContext(SipProvider provider, MessageFactory messages, HeaderFactoryExt headers, AddressFactory addresses,
            SipSettings settings, FlowTokens tokens) throws ParseException {
        this.provider = provider;
        this.messages = messages;
        this.headers = headers;
        this.addresses = addresses;
        this.settings = settings;
        this.tokens = tokens;
        this.coreEntry = (SipURI) addresses.createURI(settings.imsProxy());
        this.udpSizeLimit = settings.coreUdpLimit();
        this.timers = TransactionTimers.of(settings.t1(), settings.t4());
        this.viaAllowance = ("Via: SIP/2.0/UDP " + settings.sipHost() + ":" + settings.sipPort()
                + ";rport;branch=z9hG4bK\r\n").length() + 64;
        this.targets = OriginatingTargets.parse(settings.originatingLiteralTargets());
        // RFC 3261 §17.1.1.2: a client transaction lives at most 64*T1
        this.coreBacklog = new org.webims.gateway.sip.liveness.CoreBacklog(settings.coreMaxPending(),
                settings.t1().multipliedBy(64), System::nanoTime);
    }

    /**
     * Refuses (and answers) an originating request whose Request-URI names a host and port of the client's choosing
     * ({@link OriginatingTargets}); true when it was refused.
     */
    public boolean refusedTarget(ServerTransaction st, Request request) {
        URI target = request.getRequestURI();
        Optional<OriginatingTargets.Refusal> refusal = target instanceof SipURI sip
                ? targets.check(sip.getScheme(), sip.getHost(), sip.getPort(), sip.getMAddrParam() != null)
                : targets.check(target.getScheme(), "", -1, false);
        refusal.ifPresent(r -> {
            REFUSALS.warning(r.warning(), () -> request.getMethod() + " to " + target + " refused: " + r.warning());
            respondWithWarning(st, r.status(), null, r.warning());
        });
        return refusal.isPresent();
    }

    /** The configured next hop toward the IMS core, as a loose route. */
    public Address coreEntryRoute() {
        SipURI uri = (SipURI) coreEntry.clone();
        uri.setLrParam();
        return addresses.createAddress(uri);
    }

    /**
     * Where a request toward the core goes: the host of its first Route, by UDP unless too large for it (§18.1.1),
     * counting its bytes with the Via we may still add (the margin below the path MTU is not ours to spend).
     */
    public Hop coreHop(Request request, SipURI firstHop) {
        String transport = firstHop.getTransportParam() == null ? "udp" : firstHop.getTransportParam().toLowerCase();
        if ("udp".equals(transport)
                && udpSizeLimit.exceededBy(UdpSizeLimit.utf8Length(request.toString()) + viaAllowance)) {
            transport = "tcp";
        }
        int port = firstHop.getPort() > 0 ? firstHop.getPort() : 5060;
        return new HopImpl(firstHop.getHost(), port, transport);
    }

    /**
     * Routes a request toward the core by its first Route, or its Request-URI when it has none: over TCP when it is
     * too large for UDP (RFC 3261 §18.1.1), with a Via that says so. For initial and in-dialog requests alike.
     */
    public void routeTowardCore(Request request) throws ParseException, InvalidArgumentException {
        RouteHeader first = (RouteHeader) request.getHeader(RouteHeader.NAME);
        URI next = first != null ? first.getAddress().getURI() : request.getRequestURI();
        if (!(next instanceof SipURI uri)) {
            return;
        }
        Hop hop = coreHop(request, uri);
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if (via == null || !hop.getTransport().equalsIgnoreCase(via.getTransport())) {
            request.removeHeader(ViaHeader.NAME);
            request.addHeader(newVia(hop.getTransport()));
        }
        FlowRouter.routeVia(request, hop);
    }

    /** Where a request toward a client goes: its WebSocket connection, whatever its Request-URI or Contact says. */
    public Hop flowHop(Flow flow) {
        var remote = flow.connection().remoteAddress();
        return new HopImpl(remote.getAddress().getHostAddress(), remote.getPort(), flow.connection().secure()
                ? "WSS" : "WS");
    }

    public ViaHeader newVia(String transport) throws ParseException, InvalidArgumentException {
        int port = switch (transport.toUpperCase()) {
            case "WS" -> settings.wsPort();
            case "WSS" -> settings.wssPort();
            default -> settings.sipPort();
        };
        return headers.createViaHeader(settings.sipHost(), port, transport.toUpperCase(), null);
    }

    /** Whether a URI names this gateway's Mw listening point. */
    public boolean isOurs(URI uri) {
        if (!(uri instanceof SipURI sip)) {
            return false;
        }
        int port = sip.getPort() > 0 ? sip.getPort() : 5060;
        return settings.sipHost().equalsIgnoreCase(sip.getHost()) && port == settings.sipPort();
    }

    /**
     * A client transaction with the configured T1 and T4 (RFC 3261 §17.1.1.1: retransmissions start at T1 and the
     * transaction times out after 64*T1), T2 and Timer D where RFC 3261 Table 4 puts them ({@link TransactionTimers}).
     */
    public ClientTransaction newClientTransaction(Request request) throws SipException {
        return newClientTransaction(request, timers);
    }

    /** As {@link #newClientTransaction(Request)} with its own T1 (the core's keepalive probe: a failure told sooner). */
    public ClientTransaction newClientTransaction(Request request, java.time.Duration t1) throws SipException {
        return newClientTransaction(request, TransactionTimers.of(t1, settings.t4()));
    }

    private ClientTransaction newClientTransaction(Request request, TransactionTimers with) throws SipException {
        ClientTransaction ct = provider.getNewClientTransaction(request);
        timed(ct, with);
        RequestRetention.applyTo(ct);
        return ct;
    }

    /**
     * A server transaction on the configured T1 too, before its first response (the stack starts its timers then): a
     * final non-2xx is retransmitted from T1 (Timer G) for 64*T1 (Timer H), and a 2xx of its dialog from T1 until
     * its ACK, given up on after 64*T1 (RFC 3261 §13.3.1.4: the stack's dialog timer ticks at the transaction's T1).
     * One whose timers already run (the stack sent a 100 Trying of its own) keeps the stack's default of 500 ms.
     */
    public void timed(ServerTransaction st) {
        try {
            timed(st, timers);
        } catch (IllegalStateException timersRunning) {
            LOG.fine(() -> "Timers of " + st.getRequest().getMethod() + " already running at the stack's T1");
        }
    }

    private static void timed(javax.sip.Transaction transaction, TransactionTimers timers) {
        transaction.setRetransmitTimer(timers.t1Millis()); // first: JAIN-SIP turns the others into ticks of it
        var stackTransaction = (gov.nist.javax.sip.stack.SIPTransaction) transaction;
        stackTransaction.setTimerT2(timers.t2Millis());
        stackTransaction.setTimerT4(timers.t4Millis());
        stackTransaction.setTimerD(timers.timerDMillis());
    }

    /**
     * The INVITE client transaction a 2xx answers, found by the 2xx's Call-ID and From tag even after that transaction
     * ended: the stack keeps it for forks' answers (MAX_FORK_TIME_SECONDS, 64*T1, RFC 3261 §13.2.2.4); null when it
     * has none.
     */
    public ClientTransaction answeredInvite(Response ok) {
        if (ok instanceof gov.nist.javax.sip.message.SIPResponse response
                && provider.getSipStack() instanceof gov.nist.javax.sip.stack.SIPTransactionStack stack) {
            return stack.getForkedTransaction(response.getForkId());
        }
        return null;
    }

    /** Sends a request toward the IMS core, counted in {@link #coreBacklog} until the core answers it. */
    public void sendTowardCore(ClientTransaction ct) throws SipException {
        coreBacklog.sent(ct.getBranchId());
        try {
            ct.sendRequest();
        } catch (SipException | RuntimeException e) {
            coreBacklog.answered(ct.getBranchId());
            throw e;
        }
    }

    /** Answers a request; a reason of null keeps the standard phrase. A failure to send is logged, not thrown. */
    public void respond(ServerTransaction st, int status, String reason) {
        respond(st, status, reason, null);
    }

    /**
     * As {@link #respond(ServerTransaction, int, String)}, with {@code toTag} in the To: a final answer to an INVITE
     * to which a provisional response with that tag went (RFC 3261 §8.2.6.2, §12.1.1: its early dialog's tag).
     */
    public void respond(ServerTransaction st, int status, String reason, String toTag) {
        try {
            Response response = responseTo(st, status, toTag);
            if (reason != null) {
                response.setReasonPhrase(reason);
            }
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not send " + status + " for " + st.getRequest().getMethod(), e);
        }
    }

    /**
     * Sends a response of ours. A 2xx to an INVITE has its dialog's retransmission timer (RFC 3261 §13.3.1.4) started
     * before it leaves, not after as the stack does on its own: an ACK that came back in between found no timer to
     * stop, so the stack kept retransmitting the 2xx and reported it unacknowledged 64*T1 later, and the call was
     * released with 408 although its ACK had come. When that ACK came during the send, it stopped the timer started
     * here and the stack then started another, which would stop at its first tick only if no request of the peer had
     * come meanwhile: the stack's handling of an ACK already seen stops it at once. (A thread stalled for T1 between
     * this start and the send would see the timer tick once before any response is recorded: harmless but for a
     * logged failure of that tick when the 2xx is the dialog's first response.)
     */
    public static void send(ServerTransaction st, Response response) throws SipException, InvalidArgumentException {
        if (response.getStatusCode() / 100 != 2 || !(st instanceof gov.nist.javax.sip.stack.SIPServerTransaction server)
                || !server.isInviteTransaction()
                || !(st.getDialog() instanceof gov.nist.javax.sip.stack.SIPDialog dialog)) {
            st.sendResponse(response);
            return;
        }
        dialog.startRetransmitTimer(server, response);
        st.sendResponse(response);
        if (dialog.isAckSeen()) {
            dialog.handleAck(server); // the ACK came during the send: the timer the stack started after it stops
        }
    }

    /** The Retry-After of the gateway's own 503 responses. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** Answers with a Warning (RFC 3261 §20.43, code 399: miscellaneous) naming this gateway. */
    public void respondWithWarning(ServerTransaction st, int status, String reason, String warning) {
        respondWithWarning(st, status, reason, warning, null);
    }

    /**
     * A response to {@code st}'s request, with {@code toTag} in its To when given: a final answer to an INVITE after a
     * provisional response with that tag (RFC 3261 §8.2.6.2; JAIN-SIP adds none to a non-2xx).
     */
    public Response responseTo(ServerTransaction st, int status, String toTag) throws ParseException {
        Response response = messages.createResponse(status, st.getRequest());
        if (toTag != null) {
            ((javax.sip.header.ToHeader) response.getHeader(javax.sip.header.ToHeader.NAME)).setTag(toTag);
        }
        return response;
    }

    /**
     * The status to answer {@code st} with: a 503 to a request of the IMS core (over the Mw listening point, not a
     * client's WebSocket) goes as a 500, whoever refused (the gateway, or a client whose refusal is relayed). Toward
     * the core a refusal of one request is never a 503: a proxy does not forward a 503 (RFC 3261
     * §16.7 step 6), and one with Retry-After tells it to send this node nothing at all for that long (§21.5.4, RFC
     * 3263 §4.3), the BYEs of calls up included; a 500 with the same Warning and Retry-After (§21.5.1) refuses only it.
     */
    public static int statusToward(ServerTransaction st, int status) {
        return status == Response.SERVICE_UNAVAILABLE && fromCore(st) ? Response.SERVER_INTERNAL_ERROR : status;
    }

    /** Whether {@code st}'s request came from the IMS core; see {@link #statusToward}. */
    public static boolean fromCore(ServerTransaction st) {
        return st.getRequest() instanceof gov.nist.javax.sip.message.SIPRequest request
                && request.getMessageChannel() != null
                && !(request.getMessageChannel() instanceof org.webims.gateway.sip.transport.WebSocketMessageChannel);
    }

    /**
     * As {@link #respondWithWarning(ServerTransaction, int, String, String)}, with our To tag (the one a provisional
     * response of this dialog already carried), when given.
     */
    public void respondWithWarning(ServerTransaction st, int status, String reason, String warning, String toTag) {
        try {
            boolean towardCore = statusToward(st, status) != status;
            Response response = responseTo(st, statusToward(st, status), toTag);
            if (reason != null && !towardCore) {
                response.setReasonPhrase(reason);
            }
            response.addHeader(headers.createWarningHeader(settings.sipHost(), 399, warning));
            if (status == Response.SERVICE_UNAVAILABLE) {
                // RFC 3261 §21.5.4, RFC 7339 §1: every 503 of the gateway's own is a passing condition (the core, the
                // charging or policy server unreachable, overload); the client is told when to try again (§20.33:
                // a 500's Retry-After too)
                response.addHeader(headers.createRetryAfterHeader(RETRY_AFTER_SECONDS));
            }
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not send " + status + " for " + st.getRequest().getMethod(), e);
        }
    }
}

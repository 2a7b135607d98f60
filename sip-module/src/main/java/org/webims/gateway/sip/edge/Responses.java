package org.webims.gateway.sip.edge;

import java.time.Instant;
import java.util.logging.Level;
import org.webims.gateway.ports.call.CallEventListener;
import org.webims.gateway.ports.call.MessageFacts;
import org.webims.gateway.sip.signalling.SipContext;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.SipException;
import javax.sip.InvalidArgumentException;
import javax.sip.header.ViaHeader;
import javax.sip.message.Response;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.registration.CoreBindings;
import org.webims.gateway.sip.registration.RegistrationStore;
import org.webims.gateway.sip.registration.RegistrationUpdate;

/**
 * Responses to requests we forwarded (RFC 3261 §16.7): our Via removed, relayed on the server transaction; a 2xx
 * to a REGISTER also updates the registration store (TS 24.229 §5.2.2.1).
 */
final class Responses {
    private static final Logger LOG = Logger.getLogger(Responses.class.getName());

    private final SipContext sip;
    private final RegistrationStore registrations;
    private final RegisterThrottle throttle;

    private final CoreBindings coreBindings;
    private final CallEventListener events;

    Responses(SipContext sip, RegistrationStore registrations, CoreBindings coreBindings,
            RegisterThrottle throttle, CallEventListener events) {
        this.coreBindings = coreBindings;
        this.events = events;
        this.sip = sip;
        this.registrations = registrations;
        this.throttle = throttle;
    }

    void handle(ClientTransaction ct, Response response) {
        if (!(ct.getApplicationData() instanceof ProxiedTransaction proxied)) {
            return;
        }
        if (response.getStatusCode() == Response.TRYING) {
            return; // RFC 3261 §16.7 step 5: 100 Trying is hop-by-hop
        }
        throttle.onResponse(proxied, response);
        if (response.getStatusCode() >= 200) {
            // RFC 3261 §17.1.2.2: the client transaction lingers (Timer K, T4 over UDP) only to absorb the core's
            // retransmissions, which the stack never passes up. Letting go of what it was for lets the client's
            // request, its server transaction and our answer be collected now, not T4 later after surviving
            // several young collections (issue 14).
            ct.setApplicationData(null);
        }
        if (proxied.isRegister() && proxied.flow() != null && response.getStatusCode() / 100 == 2) {
            RegistrationUpdate update = RegistrationMapper.toUpdate(proxied.flow().id(), proxied.forwarded(),
                    response);
            coreBindings.granted(update);
            boolean refresh = registrations.holdsLive(proxied.flow().id(), update.aor());
            for (Binding removed : registrations.apply(update)) {
                LOG.info(() -> "De-registered " + removed.aor() + " contact " + removed.contact());
            }
            var granted = update.contacts().stream().filter(c -> c.expiresSeconds() > 0).toList();
            if (!granted.isEmpty()) {
                // a new registration is worth a line; its refreshes (one per client every few minutes, thousands
                // a second on a loaded gateway) are not
                LOG.log(refresh ? Level.FINE : Level.INFO, () -> (refresh ? "Refreshed " : "Registered ")
                        + update.aor() + " over " + proxied.flow().describe() + ": " + granted);
            }
        }
        if (proxied.isRegister() && proxied.flow() != null && response.getStatusCode() >= 200) {
            proxied.flow().registerDone(); // its provider's place is now the registration's, if any
        }
        if (proxied.message() != null && response.getStatusCode() >= 200) {
            chargeMessage(proxied.message(), response.getStatusCode());
        }
        Response relayed = (Response) response.clone();
        relayed.removeFirst(ViaHeader.NAME);
        if (proxied.flow() != null) {
            TrustBoundary.towardClient(relayed);
        } else {
            TrustBoundary.fromClient(relayed);
            int status = SipContext.statusToward(proxied.serverTransaction(), relayed.getStatusCode());
            if (status != relayed.getStatusCode()) { // a client's 503 reaches the core as a 500 (SipContext)
                try {
                    relayed.setStatusCode(status);
                    relayed.setReasonPhrase("Server Internal Error");
                } catch (java.text.ParseException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        try {
            proxied.serverTransaction().sendResponse(relayed);
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.INFO, "Could not relay " + response.getStatusCode() + " to "
                    + (proxied.flow() != null ? proxied.flow().describe() : "the IMS core") + ": " + e.getMessage());
        }
    }

    /** TS 32.260 §5.2: an event record of each MESSAGE, delivered or not, once its final status is known. */
    private void chargeMessage(MessageFacts sent, int status) {
        MessageFacts done = new MessageFacts(sent.direction(), sent.subscriber(), sent.remote(), sent.provider(),
                sent.icid(), sent.sentAt(), Instant.now(), status);
        try {
            events.onMessage(done);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The call-event listener failed on a MESSAGE", e);
        }
    }

    /** RFC 3261 §16.8: no answer from the next hop counts as a 408 from it. */
    void timedOut(ClientTransaction ct) {
        if (ct.getApplicationData() instanceof ProxiedTransaction proxied) {
            if (proxied.message() != null) {
                chargeMessage(proxied.message(), Response.REQUEST_TIMEOUT);
            }
            if (proxied.isRegister() && proxied.flow() != null) {
                proxied.flow().registerDone();
            }
            sip.respond(proxied.serverTransaction(), Response.REQUEST_TIMEOUT, null);
        }
    }
}

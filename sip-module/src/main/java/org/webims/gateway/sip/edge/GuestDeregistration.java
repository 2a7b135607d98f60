package org.webims.gateway.sip.edge;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * When a guest's connection closes, the gateway de-registers its binding at the core itself (RFC 3261 §10.2.2,
 * Expires 0), vouching for it with trusted node authentication as it did for the registration (TS 33.203 Annex U):
 * the identity goes back to the provider's pool with nothing left at the core that could route to the next guest.
 * A digest client's binding cannot be removed this way (the gateway has no credentials): it expires at the core.
 */
public final class GuestDeregistration {
    private static final Logger LOG = Logger.getLogger(GuestDeregistration.class.getName());
    private final SipContext sip;

    public GuestDeregistration(SipContext sip) {
        this.sip = sip;
    }

    /** Sends the de-registration of a guest's binding; a failure is logged (the binding then expires there). */
    public void deregister(Binding binding, Flow.TokenIdentity guest) {
        try {
            String domain = sip.settings.imsDomain();
            Address aor = sip.addresses.createAddress(binding.aor());
            CallIdHeader callId = sip.provider.getNewCallId();
            FromHeader from = sip.headers.createFromHeader(aor, Long.toHexString(System.nanoTime()));
            ToHeader to = sip.headers.createToHeader(aor, null);
            URI registrar = sip.addresses.createURI("sip:" + domain);
            Request register = sip.messages.createRequest(registrar, Request.REGISTER, callId,
                    sip.headers.createCSeqHeader(1L, Request.REGISTER), from, to,
                    new ArrayList<>(List.of(sip.newVia("udp"))), sip.headers.createMaxForwardsHeader(70));
            ContactHeader contact = sip.headers.createContactHeader(sip.addresses.createAddress(binding.contact()));
            contact.setExpires(0);
            register.addHeader(contact);
            register.addHeader(sip.headers.createExpiresHeader(0));
            register.addHeader(sip.headers.createRouteHeader(sip.coreEntryRoute()));
            BearerRegistration.vouch(sip, register, guest.impi());
            sip.routeTowardCore(register);
            ClientTransaction ct = sip.newClientTransaction(register);
            ct.sendRequest();
            LOG.info(() -> "De-registering guest " + binding.aor() + " at the core: its connection closed");
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not de-register guest " + binding.aor() + " at the core", e);
        }
    }
}

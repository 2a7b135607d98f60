package org.webims.gateway.sip.edge;

import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.webims.gateway.sip.flow.FlowId;
import org.webims.gateway.sip.flow.FlowSession;
import org.webims.gateway.sip.flow.FlowTable;
import org.webims.gateway.sip.registration.Binding;
import org.webims.gateway.sip.registration.RegistrationStore;

/**
 * Makes every registered client register again after an outage of the IMS core, which may have lost its bindings:
 * the flow of each binding is closed (WebSocket close 1012 "service restart", IANA WebSocket Close Code Number
 * registry), which removes our bindings and calls on it as any closed flow does; RFC 5626 §4.5 (flow recovery) and
 * RFC 7118 clients (JsSIP among them) then open a new connection and REGISTER on it. The gateway cannot refresh a
 * registration itself: only the client holds the credentials. Clients that never registered keep their connection.
 */
public final class RegisterAgain implements Runnable {
    private static final Logger LOG = Logger.getLogger(RegisterAgain.class.getName());
    /** IANA WebSocket Close Code Number registry: 1012 "Service Restart", the client may reconnect. */
    static final int SERVICE_RESTART = 1012;
    static final String REASON = "IMS core restarted: register again";

    private final FlowTable flows;
    private final RegistrationStore registrations;

    public RegisterAgain(FlowTable flows, RegistrationStore registrations) {
        this.flows = flows;
        this.registrations = registrations;
    }

    @Override
    public void run() {
        Set<FlowId> registered = registrations.all().stream().map(Binding::flow).collect(Collectors.toSet());
        int closed = 0;
        for (FlowSession session : flows.sessions()) {
            if (registered.contains(session.flow().id())) {
                session.flow().connection().close(SERVICE_RESTART, REASON);
                session.onClose("closed by the gateway: the IMS core came back and may have lost the registration");
                closed++;
            }
        }
        int count = closed;
        LOG.info(() -> count + " registered client connection(s) closed with " + SERVICE_RESTART + " \"" + REASON
                + "\" so that they register again");
    }
}

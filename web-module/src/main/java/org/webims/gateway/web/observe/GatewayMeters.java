package org.webims.gateway.web.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.sip.liveness.CoreLiveness;
import org.webims.gateway.sip.runtime.SipRuntime;
import org.webims.gateway.web.sip.SipRuntimeHost;

/**
 * The gateway's meters in the server's Micrometer registry ({@code /metrics} on the management interface, Prometheus
 * text: dots become underscores, and WildFly adds the deployment as a tag): what it carries (flows, registrations,
 * calls) and how far behind it is (SIP work waiting for a worker, rtpengine commands unanswered), the figures its
 * overload control acts on (RFC 7339). Each is read when the registry is scraped; NaN while the SIP runtime is not
 * running. Registered through {@code MeterRegistry.gauge}: WildFly 39 passes meters made with {@code Gauge.builder}
 * to no exporter (WFLY-21339, fixed in 40), so they carry no description.
 */
@ApplicationScoped
public class GatewayMeters {
    private static final Logger LOG = Logger.getLogger(GatewayMeters.class.getName());

    @Inject
    MeterRegistry registry;

    @Inject
    SipRuntimeHost host;

    private final List<String> names = new ArrayList<>();

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        gauge("webims.flows", r -> r.flows().size()); // WebSocket connections open (RFC 5626 flows)
        gauge("webims.registrations", r -> r.registrations().size());
        gauge("webims.calls", SipRuntime::callCount);
        gauge("webims.sip.work.waiting", SipRuntime::workWaiting);
        gauge("webims.media.commands.in.flight", SipRuntime::mediaCommandsInFlight);
        gauge("webims.media.commands.pending", SipRuntime::mediaCommandsPending);
        gauge("webims.media.saturated", r -> r.mediaSaturated() ? 1 : 0); // new calls refused: rtpengine behind
        gauge("webims.ims.core.up", r -> r.coreStatus().state() == CoreLiveness.State.UP ? 1 : 0);
    }

    private void gauge(String name, ToDoubleFunction<SipRuntime> value) {
        // the registry holds host weakly: this bean holds it for the application's life
        registry.gauge(name, Tags.empty(), host, h -> read(h, value));
        names.add(name);
    }

    private static double read(SipRuntimeHost host, ToDoubleFunction<SipRuntime> value) {
        try {
            return value.applyAsDouble(host.runtime());
        } catch (RuntimeException notRunning) { // runtime() throws (wrapped by the EJB container) when not running
            return Double.NaN;
        }
    }

    @PreDestroy
    void remove() {
        for (String name : names) {
            try {
                registry.find(name).meters().forEach(registry::remove);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Meter " + name + " not removed", e);
            }
        }
        names.clear();
    }
}

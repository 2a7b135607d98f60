package org.webims.gateway.web.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.webims.gateway.ejb.charging.ChargingService;
import org.webims.gateway.sip.liveness.CoreLiveness;
import org.webims.gateway.sip.runtime.SipRuntime;
import org.webims.gateway.web.sip.SipRuntimeHost;

/**
 * The gateway's meters in the server's Micrometer registry ({@code /metrics}, Prometheus text: dots become
 * underscores): what it carries (flows, registrations, calls) and how far behind it is (SIP work waiting for a worker,
 * rtpengine commands unanswered, Rf records not yet with the CDF), the figures its overload control acts on (RFC 7339).
 * Each is read when the registry is scraped; NaN while the SIP runtime is not running. Removed from the server's
 * registry when the application stops, so a redeployment registers them afresh.
 */
@ApplicationScoped
public class GatewayMeters {
    @Inject
    MeterRegistry registry;

    @Inject
    SipRuntimeHost host;

    @EJB
    ChargingService charging;

    private final List<Meter> meters = new ArrayList<>();

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        sipGauge("webims.flows", "WebSocket connections open (RFC 5626 flows)", r -> r.flows().size());
        sipGauge("webims.registrations", "bindings registered through the gateway", r -> r.registrations().size());
        sipGauge("webims.calls", "calls held by the B2BUA", SipRuntime::callCount);
        sipGauge("webims.sip.work.waiting", "SIP work waiting for a worker", SipRuntime::workWaiting);
        sipGauge("webims.media.commands.in.flight", "rtpengine commands sent and not answered",
                SipRuntime::mediaCommandsInFlight);
        sipGauge("webims.media.commands.pending", "rtpengine commands not answered, sent or waiting for their turn",
                SipRuntime::mediaCommandsPending);
        sipGauge("webims.media.saturated", "1 while new calls are refused because rtpengine is behind",
                r -> r.mediaSaturated() ? 1 : 0);
        sipGauge("webims.ims.core.up", "1 while the IMS core answers, 0 while it is taken as down",
                r -> r.coreStatus().state() == CoreLiveness.State.UP ? 1 : 0);
        meters.add(Gauge.builder("webims.charging.rf.queued", charging, c -> number(c.status().get("queued")))
                .description("offline charging records (ACRs) accepted and not yet delivered to a CDF")
                .strongReference(true).register(registry));
    }

    private void sipGauge(String name, String description, ToDoubleFunction<SipRuntime> value) {
        meters.add(Gauge.builder(name, host, h -> read(h, value)).description(description).strongReference(true)
                .register(registry));
    }

    private static double read(SipRuntimeHost host, ToDoubleFunction<SipRuntime> value) {
        try {
            return value.applyAsDouble(host.runtime());
        } catch (IllegalStateException notRunning) {
            return Double.NaN;
        }
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @PreDestroy
    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}

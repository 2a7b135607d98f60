package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.WsSipClient;

/** The gateway's meters on the management interface's {@code /metrics} (Micrometer, Prometheus text). */
class ObservabilityIT extends GatewayTestBase {
    private static final URI METRICS = URI.create("http://127.0.0.1:" + TestBed.MANAGEMENT_PORT + "/metrics");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theMetersCountARegisteredClientAndShowTheCoreAnswering() throws Exception {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN,
                SipClientIdentity.alice(), "sip")) {
            assertEquals(200, alice.register(600).status());
            String text = get(METRICS).body();
            assertTrue(meter(text, "webims_registrations").orElse(0) >= 1, "alice's binding counted:\n" + text);
            assertTrue(meter(text, "webims_flows").orElse(0) >= 1, "her WebSocket counted:\n" + text);
            assertEquals(1.0, meter(text, "webims_ims_core_up").orElseThrow(), "the core answers:\n" + text);
            for (String name : new String[] {"webims_calls", "webims_sip_work_waiting", "webims_media_saturated",
                    "webims_media_commands_in_flight", "webims_media_commands_pending"}) {
                double value = meter(text, name).orElseThrow(() -> new AssertionError(name + " missing:\n" + text));
                assertTrue(value >= 0, name + " " + value);
            }
            alice.unregister();
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The value of a meter in Prometheus text, or empty: the largest of its series that has a value (WildFly tags a
     * deployment's meters with it; a series of an earlier deployment of the same EAR, should one linger, reads NaN).
     */
    private static OptionalDouble meter(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .filter(v -> !Double.isNaN(v)).max();
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.WsSipClient;

/**
 * The gateway as the server's observability shows it, on the management interface: its readiness check on
 * {@code /health/ready} (MicroProfile Health) and its meters on {@code /metrics} (Micrometer, Prometheus text).
 */
class ObservabilityIT extends GatewayTestBase {
    private static final URI READY = URI.create("http://127.0.0.1:" + TestBed.MANAGEMENT_PORT + "/health/ready");
    private static final URI METRICS = URI.create("http://127.0.0.1:" + TestBed.MANAGEMENT_PORT + "/metrics");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void readinessHasTheGatewaysCheckWithWhatItCarries() throws Exception {
        HttpResponse<String> ready = get(READY);
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject health = Json.createReader(new StringReader(ready.body())).readObject();
        JsonObject check = health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> "webrtc-ims-gateway".equals(c.getString("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check of the gateway: " + ready.body()));
        assertEquals("UP", check.getString("status"), check.toString());
        JsonObject data = check.getJsonObject("data");
        assertEquals("running", data.getString("sip"), data.toString());
        assertEquals("UP", data.getString("imsCore"), "the test core answers its keepalive: " + data);
        for (String count : new String[] {"flows", "registrations", "calls"}) {
            assertEquals(JsonValue.ValueType.NUMBER, data.get(count).getValueType(), count + " in " + data);
        }
        assertEquals(JsonValue.FALSE, data.get("mediaGatewaySaturated"), data.toString());
    }

    @Test
    void theMetersShowARegisteredClientAndTheStateOfThePeers() throws Exception {
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN,
                SipClientIdentity.alice(), "sip")) {
            assertEquals(200, alice.register(600).status());
            String text = get(METRICS).body();
            assertTrue(meter(text, "webims_registrations").orElse(0) >= 1, "alice's binding counted:\n" + text);
            assertTrue(meter(text, "webims_flows").orElse(0) >= 1, "her WebSocket counted:\n" + text);
            assertEquals(1.0, meter(text, "webims_ims_core_up").orElseThrow(), "the core answers");
            assertEquals(0.0, meter(text, "webims_media_saturated").orElseThrow(), "rtpengine is not behind");
            for (String name : new String[] {"webims_calls", "webims_sip_work_waiting",
                    "webims_media_commands_in_flight", "webims_media_commands_pending", "webims_charging_rf_queued"}) {
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

    /** The value of a meter in Prometheus text (the sum over its series, should it carry tags), or empty. */
    private static OptionalDouble meter(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .reduce(Double::sum);
    }
}

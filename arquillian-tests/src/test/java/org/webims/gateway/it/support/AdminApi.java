package org.webims.gateway.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.webims.gateway.it.client.TestTls;

/**
 * The gateway's admin REST API as the tests use it, with the test server's admin credentials, over https (the API
 * refuses plain HTTP) from 127.0.0.1.
 */
public final class AdminApi {
    private static final URI BASE = URI.create("https://127.0.0.1:" + org.webims.gateway.it.TestBed.HTTPS_PORT + "/api/");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .sslContext(TestTls.trustingEveryCertificate()) // the test server's self-signed key
            .build();

    public HttpResponse<String> get(String path, boolean withCredentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(BASE.resolve(path)).timeout(Duration.ofSeconds(10));
        if (withCredentials) {
            request.header("Authorization", basic());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Any method with the admin credentials; {@code json} is the body (none when null). */
    public HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(BASE.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", basic())
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic() {
        String user = System.getProperty("test.admin.user", "admin");
        String password = System.getProperty("test.admin.password", "it-admin-secret");
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@code GET /api/registrations} as JSON objects. */
    public List<JsonObject> registrations() throws Exception {
        return array("registrations");
    }

    /** {@code GET /api/calls/timers}: the SIP runtime's pending timers. */
    public int sipTimers() throws Exception {
        return object("calls/timers").getInt("pending");
    }

    /** A value the tests read again and again. */
    @FunctionalInterface
    public interface Read<T> {
        T read() throws Exception;
    }

    /** Reads {@code value} every 100 ms until {@code done} holds; fails after {@code wait} with the last value. */
    public static <T> T await(Read<T> value, Predicate<T> done, Duration wait, String what) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        T last;
        do {
            last = value.read();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(what + " never within " + wait + ": " + last);
    }

    private JsonObject object(String path) throws Exception {
        try (JsonReader reader = Json.createReader(new StringReader(body(path)))) {
            return reader.readObject();
        }
    }

    private List<JsonObject> array(String path) throws Exception {
        try (JsonReader reader = Json.createReader(new StringReader(body(path)))) {
            return reader.readArray().getValuesAs(JsonObject.class);
        }
    }

    /** The body of a {@code GET} with the admin credentials; fails the test on any status but 200. */
    private String body(String path) throws Exception {
        HttpResponse<String> response = get(path, true);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /api/" + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** {@code GET /api/calls} as JSON objects. */
    public List<JsonObject> calls() throws Exception {
        return array("calls");
    }

    /**
     * Waits, bounded, until the live calls satisfy a condition; fails with the last listing. A call's final response
     * leaves before the call is removed from the gateway's table, so a listing read just after it may still hold it.
     */
    public List<JsonObject> awaitCalls(Predicate<List<JsonObject>> condition, Duration wait) throws Exception {
        return await(this::calls, condition, wait, "calls matching");
    }

    /** {@code GET /api/core}: the IMS core's liveness as the gateway sees it ({@code state} UP or DOWN, ...). */
    public JsonObject core() throws Exception {
        return object("core");
    }

    /** Waits, bounded, until the gateway sees the IMS core in {@code state} (UP or DOWN); fails with the last view. */
    public JsonObject awaitCoreState(String state, Duration wait) throws Exception {
        return await(this::core, core -> state.equals(core.getString("state")), wait, "the core " + state);
    }

    /** The bindings of one public identity. */
    public List<JsonObject> registrationsOf(String impu) throws Exception {
        return registrations().stream().filter(r -> impu.equals(r.getString("impu"))).toList();
    }

    /** Waits, bounded, until the registrations satisfy a condition; fails with the last listing. */
    public List<JsonObject> awaitRegistrations(Predicate<List<JsonObject>> condition, Duration wait)
            throws Exception {
        return await(this::registrations, condition, wait, "registrations matching");
    }

    /**
     * Waits, bounded, until {@code GET /api/charging/status} (mode, Rf and Ro peers' states) satisfies a condition; a
     * status other than 200 (charging still starting) is read again, not a failure.
     */
    public JsonObject awaitCharging(Predicate<JsonObject> condition, Duration wait) throws Exception {
        Reply done = await(() -> Reply.of(get("charging/status", true)),
                reply -> reply.status() == 200 && condition.test(reply.json()), wait, "the charging status matching");
        return done.json();
    }

    /** A response as the waits report it when they give up. */
    private record Reply(int status, String body) {
        static Reply of(HttpResponse<String> response) {
            return new Reply(response.statusCode(), response.body());
        }

        JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}

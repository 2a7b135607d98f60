package org.webims.gateway.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import org.webims.gateway.it.TestBed;

/** The gateway's meters as an operator's scraper reads them: Prometheus text on the management interface. */
public final class Meters {
    private static final URI METRICS = URI.create("http://127.0.0.1:" + TestBed.MANAGEMENT_PORT + "/metrics");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Meters() {}

    /** The whole {@code /metrics} page. */
    public static String page() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(METRICS).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + METRICS + ": " + response.statusCode() + "\n" + response.body());
        }
        return response.body();
    }

    /**
     * The value of a meter in Prometheus text, or empty: the largest of its series that has a value (WildFly tags a
     * deployment's meters with it; a series of an earlier deployment of the same EAR, should one linger, reads NaN).
     */
    public static OptionalDouble value(String page, String name) {
        return page.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .filter(v -> !Double.isNaN(v)).max();
    }

    /** The meter's value on {@code page}; an {@link AssertionError} with the page when the meter is missing. */
    public static double read(String page, String name) {
        return value(page, name).orElseThrow(() -> new AssertionError(name + " missing:\n" + page));
    }

    /** The meter's value now ({@link #read} of a fresh {@link #page}). */
    public static double now(String name) throws IOException, InterruptedException {
        return read(page(), name);
    }

    /**
     * Waits until the meter reads {@code expected} (a gauge that follows something finishing on the gateway's own
     * threads); an {@link AssertionError} with the last value read when it does not within {@code max}.
     */
    public static void await(String name, double expected, Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        double last = now(name);
        while (last != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = now(name);
        }
        if (last != expected) {
            throw new AssertionError(name + " read " + last + ", not " + expected + ", for " + max);
        }
    }
}

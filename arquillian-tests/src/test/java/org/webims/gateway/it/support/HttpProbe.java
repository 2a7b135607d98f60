package org.webims.gateway.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.webims.gateway.it.TestBed;
import org.webims.gateway.it.client.TestTls;

/**
 * One HTTP/1.1 GET on a socket of its own, plain or TLS, from a chosen local address (the tests' network namespace
 * has all of 127.0.0.0/8 on lo; java.net.http cannot bind a local address). It shows exactly what went over the
 * wire: the status and every header, WWW-Authenticate and Retry-After included.
 */
public final class HttpProbe {
    private static final int TIMEOUT_MS = 10_000;

    private HttpProbe() {}

    public record Answer(int status, Map<String, String> headers, String body) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** The test server's admin credentials, or others, as a Basic Authorization value. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String adminCredentials() {
        return basic(System.getProperty("test.admin.user", "admin"),
                System.getProperty("test.admin.password", "it-admin-secret"));
    }

    /** GET over plain HTTP to the test server's 127.0.0.1:8180. */
    public static Answer plain(String from, String path, String authorization) throws IOException {
        try (Socket socket = new Socket()) {
            return exchange(socket, from, TestBed.HTTP_PORT, path, authorization);
        }
    }

    /** GET over TLS to the test server's 127.0.0.1:8543 (its self-signed key trusted). */
    public static Answer tls(String from, String path, String authorization) throws IOException {
        try (Socket socket = TestTls.trustingEveryCertificate().getSocketFactory().createSocket()) {
            return exchange(socket, from, TestBed.HTTPS_PORT, path, authorization);
        }
    }

    private static Answer exchange(Socket socket, String from, int port, String path, String authorization)
            throws IOException {
        socket.setSoTimeout(TIMEOUT_MS);
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
        if (socket instanceof SSLSocket tls) {
            tls.startHandshake();
        }
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return parse(readAll(socket.getInputStream()));
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0 && out.size() < 1_000_000;) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Answer parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String head = end < 0 ? raw : raw.substring(0, end);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IllegalStateException("not an HTTP response: " + raw);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Answer(Integer.parseInt(statusLine[1]), headers, end < 0 ? "" : raw.substring(end + 4));
    }
}

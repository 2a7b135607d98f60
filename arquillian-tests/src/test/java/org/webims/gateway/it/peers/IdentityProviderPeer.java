package org.webims.gateway.it.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The operator's OpenID Connect identity provider for the WAF's tests: a real Keycloak (its server distribution,
 * unpacked by the build into {@code target/keycloak}) on 127.0.0.1, with the demo's realm {@code ims} imported from
 * {@code deployment/identity-provider/ims-realm.json}: the softphone (public client, PKCE), a third party
 * ({@code shop}, confidential) and subscribers alice and bob, whose tokens carry their IMPU in claim {@code impu}
 * and the WAF's audience. Started once per test JVM (about 20 s; the first run also builds the distribution,
 * about 40 s) and stopped when the JVM ends. Its database lives in this run's directory only.
 */
public final class IdentityProviderPeer {
    /** The test ports are offset by 100 from the demo's (8280). */
    public static final int PORT = 8380;
    public static final int MANAGEMENT_PORT = 8381;
    public static final String ORIGIN = "http://127.0.0.1:" + PORT;
    public static final String ISSUER = ORIGIN + "/realms/ims";
    public static final String TOKEN_ENDPOINT = ISSUER + "/protocol/openid-connect/token";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static IdentityProviderPeer shared;

    private final Process process;
    private final Path runDir;

    private IdentityProviderPeer(Process process, Path runDir) {
        this.process = process;
        this.runDir = runDir;
    }

    /** The one identity provider of this test JVM, started on first use. */
    public static synchronized IdentityProviderPeer shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            IdentityProviderPeer started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-keycloak"));
        }
        return shared;
    }

    private static IdentityProviderPeer start() throws IOException {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.7.3")).toAbsolutePath();
        Path kc = home.resolve("bin/kc.sh");
        if (!Files.isExecutable(kc)) {
            throw new IOException("no Keycloak at " + home + " (the build unpacks it: mvn process-test-resources)");
        }
        Path built = home.resolve("lib/quarkus/webims-built");
        if (!Files.exists(built)) {
            // build-time options once (Quarkus augmentation); every start after is --optimized
            PeerProcesses.Output build = PeerProcesses.run(BUILD_TIMEOUT, List.of(kc.toString(), "build",
                    "--db=dev-file", "--health-enabled=true", "--cache=local"));
            if (build.exitCode() != 0) {
                throw new IOException("kc.sh build failed:\n" + build.text());
            }
            Files.writeString(built, "built for the WAF tests\n");
        }
        Path runDir = PeerProcesses.newRunDir("keycloak");
        Path imports = Files.createDirectories(home.resolve("data/import"));
        Path repo = Path.of(System.getProperty("gateway.repo", "..")).toAbsolutePath().normalize();
        Files.copy(repo.resolve("deployment/identity-provider/ims-realm.json"), imports.resolve("ims-realm.json"),
                StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder(kc.toString(), "start", "--optimized", "--import-realm",
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + PORT,
                "--http-management-port=" + MANAGEMENT_PORT, "--hostname=" + ORIGIN,
                "--db-url=jdbc:h2:file:" + runDir.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE")
                .redirectErrorStream(true).redirectOutput(runDir.resolve("keycloak.log").toFile());
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        Process process = builder.start();
        IdentityProviderPeer peer = new IdentityProviderPeer(process, runDir);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Keycloak exited on start:\n" + PeerProcesses.tail(peer.log(), 40));
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + MANAGEMENT_PORT + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                HttpResponse<Void> realm = http.send(HttpRequest.newBuilder(URI.create(ISSUER
                        + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200 && realm.statusCode() == 200) {
                    return peer;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            PeerProcesses.pause(500);
        }
        peer.stop();
        throw new IOException("Keycloak was not ready within " + START_TIMEOUT + ":\n" + PeerProcesses.tail(peer.log(), 40));
    }

    public Path log() {
        return runDir.resolve("keycloak.log");
    }

    /** A subscriber's access token as an application with direct access grants gets it (only {@code other-app}). */
    public String passwordGrant(String clientId, String clientSecret, String user, String password)
            throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=" + clientId + "&client_secret=" + clientSecret + "&username="
                + user + "&password=" + password + "&scope=openid";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(TOKEN_ENDPOINT))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Keycloak refused the password grant: " + response.body());
        }
        return jakarta.json.Json.createReader(new java.io.StringReader(response.body())).readObject()
                .getString("access_token");
    }

    private void stop() {
        PeerProcesses.stop(process, Duration.ofSeconds(10));
    }
}

package org.webims.gateway.it.peers;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.webims.gateway.it.TestBed;

/**
 * The demo third party's web server ({@code deployment/demo-shop/ShopServer.java}, run by the JDK's source launcher as
 * {@code bin/gateway run} runs it) on {@link TestBed#SHOP_PORT}, as provider {@code shop} of the test gateway and client
 * {@code shop} of the test identity provider. Its secrets are files in its run directory.
 */
public final class ShopPeer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private final Process process;
    private final Path runDir;

    private ShopPeer(Process process, Path runDir) {
        this.process = process;
        this.runDir = runDir;
    }

    public static ShopPeer start() throws IOException {
        Path repo = Path.of(System.getProperty("gateway.repo", "..")).toAbsolutePath().normalize();
        Path runDir = PeerProcesses.newRunDir("shop");
        Path secret = runDir.resolve("waf-client-secret");
        Files.writeString(secret, "not-set-yet\n");
        Path idpSecret = Files.writeString(runDir.resolve("idp-client-secret"), "shop-idp-secret\n");
        Path shop = repo.resolve("deployment/demo-shop");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                shop.resolve("ShopServer.java").toString(), "--port", Integer.toString(TestBed.SHOP_PORT),
                "--gateway", TestBed.ORIGIN, "--waf", "https://localhost:" + TestBed.HTTPS_PORT,
                "--waf-trust-self-signed", "true", "--client-id", "shop", "--client-secret-file", secret.toString(),
                "--idp-issuer", IdentityProviderPeer.ISSUER, "--idp-client-secret-file", idpSecret.toString(),
                "--dir", shop.toString())
                .redirectErrorStream(true).redirectOutput(runDir.resolve("shop.log").toFile()).start();
        ShopPeer peer = new ShopPeer(process, runDir);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the shop exited on start:\n" + PeerProcesses.tail(peer.log(), 30));
            }
            try (Socket ignored = new Socket(PeerProcesses.LOOPBACK, TestBed.SHOP_PORT)) {
                return peer;
            } catch (IOException notYet) {
                PeerProcesses.pause(200);
            }
        }
        peer.close();
        throw new IOException("the shop did not listen within " + START_TIMEOUT);
    }

    /** Stores the WAF client secret the operator issued to the shop (the shop reads it at each use). */
    public void useSecret(String secret) throws IOException {
        Files.writeString(runDir.resolve("waf-client-secret"), secret + "\n");
    }

    public String origin() {
        return "http://127.0.0.1:" + TestBed.SHOP_PORT;
    }

    public Path log() {
        return runDir.resolve("shop.log");
    }

    public List<String> logLines() throws IOException {
        return Files.readAllLines(log());
    }

    @Override
    public void close() {
        PeerProcesses.stop(process, Duration.ofSeconds(5));
    }
}

package org.webims.gateway.it.aftersuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.support.IssuedSecrets;

/**
 * Issue 11 point 6, after the whole suite (its own surefire execution, after the Arquillian tests): no token, client
 * secret or password appears in any log the tests collected: the gateway's server log, every peer's log (Kamailio,
 * rtpengine, SIPp, Keycloak, the shop), the browsers' consoles and the tests' own output.
 */
@Tag("after-suite")
class NoSecretsInLogsTest {
    /** A JWS in compact form (RFC 7515 §7.1) whose header and payload are JSON objects: any JWT. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");
    /** The passwords of the test bed's subscribers (IMS digest and identity provider) and of its IdP clients. */
    private static final List<String> PASSWORDS = List.of("alice-demo-secret", "bob-demo-secret",
            "alice-web-password", "bob-web-password", "shop-idp-secret", "other-idp-secret");

    private static List<Path> logs() throws IOException {
        List<Path> logs = new ArrayList<>();
        for (Path dir : List.of(Path.of("target/server/standalone/log"), Path.of("target/peers"),
                Path.of("target/surefire-reports"), Path.of("target/browser"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(Files::isRegularFile).filter(f -> {
                        String name = f.getFileName().toString();
                        return name.endsWith(".log") || name.endsWith("-output.txt") || name.contains(".log.");
                    }).forEach(logs::add);
                }
            }
        }
        return logs;
    }

    @Test
    void noTokenSecretOrPasswordIsInAnyLog() throws IOException {
        List<Path> logs = logs();
        assertTrue(logs.stream().anyMatch(p -> p.toString().contains("server.log")), "the server log is scanned: " + logs);
        List<String> secrets = new ArrayList<>(PASSWORDS);
        secrets.addAll(IssuedSecrets.all());
        assertTrue(secrets.size() > PASSWORDS.size(), "the suite issued client secrets to look for");
        List<String> found = new ArrayList<>();
        for (Path log : logs) {
            String text = new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
            var jwt = JWT.matcher(text);
            if (jwt.find()) {
                found.add(log + ": a JWT (" + jwt.group().substring(0, 20) + "…)");
            }
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    found.add(log + ": secret " + secret.substring(0, 4) + "…");
                }
            }
        }
        assertEquals(List.of(), found, "tokens, secrets or passwords in the logs the tests collected");
    }
}

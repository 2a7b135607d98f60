package org.webims.gateway.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The client secrets the WAF issued during the suite, kept in {@code target/issued-secrets.txt} (a fixture, not a log)
 * so that the after-suite check can look for them in every log the tests collected.
 */
public final class IssuedSecrets {
    public static final Path FILE = Path.of("target", "issued-secrets.txt");

    private IssuedSecrets() {
    }

    static synchronized void remember(String secret) {
        try {
            Files.writeString(FILE, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> all() throws IOException {
        return Files.exists(FILE) ? Files.readAllLines(FILE, StandardCharsets.UTF_8).stream()
                .filter(s -> !s.isBlank()).toList() : List.of();
    }
}

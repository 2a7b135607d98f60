package org.webims.gateway.ejb.waf;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Provider client secrets (RFC 6749 §2.3.1): 256 random bits, shown once, kept only as a salted SHA-256. A fast hash
 * is enough for a secret of that entropy (nothing to guess from a dictionary); a slow password hash would make every
 * token request cost a core's worth of CPU, a denial of service of its own. Compared in constant time.
 */
public final class ClientSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientSecrets() {
    }

    /** A new secret, URL-safe base64 of 32 random bytes. */
    public static String newSecret() {
        return random(32);
    }

    public static String newSalt() {
        return random(16);
    }

    public static String hash(String secret, String salt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    public static boolean matches(String secret, String salt, String expectedHash) {
        return secret != null && MessageDigest.isEqual(hash(secret, salt).getBytes(StandardCharsets.US_ASCII),
                expectedHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}

package org.webims.gateway.it.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Answers an HTTP Digest challenge as SIP uses it (RFC 3261 section 22, RFC 2617, RFC 7616): from a
 * {@code WWW-Authenticate} or {@code Proxy-Authenticate} value, builds the {@code Authorization} /
 * {@code Proxy-Authorization} value for a username, password, method and digest-uri.
 *
 * <p>Supports the algorithms MD5, MD5-sess, SHA-256 and SHA-256-sess, and either {@code qop=auth}
 * (with cnonce and nc) when the challenge offers it, or no qop (RFC 2069 compatibility) when it offers
 * none. A challenge offering only {@code auth-int} is rejected.
 */
public final class DigestAuth {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DigestAuth() {
    }

    /** A parsed Digest challenge: its parameters by lower-case name, values unquoted. */
    public record Challenge(Map<String, String> params) {

        public Challenge {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }

        public String realm() {
            return params.get("realm");
        }

        public String nonce() {
            return params.get("nonce");
        }

        public String opaque() {
            return params.get("opaque");
        }

        /** The algorithm, MD5 if the challenge names none. */
        public String algorithm() {
            return params.getOrDefault("algorithm", "MD5");
        }

        /** The qop options offered (lower case), empty if none. */
        public List<String> qopOptions() {
            String qop = params.get("qop");
            if (qop == null || qop.isBlank()) {
                return List.of();
            }
            return Arrays.stream(qop.split(","))
                    .map(s -> s.strip().toLowerCase(Locale.ROOT))
                    .filter(s -> !s.isEmpty())
                    .toList();
        }

        /** True if the server says the previous nonce was merely stale. */
        public boolean stale() {
            return "true".equalsIgnoreCase(params.get("stale"));
        }
    }

    /**
     * Parses a {@code Digest ...} challenge value.
     *
     * @throws IllegalArgumentException if the scheme is not Digest or realm/nonce is missing
     */
    public static Challenge parseChallenge(String headerValue) {
        if (headerValue == null) {
            throw new IllegalArgumentException("no challenge");
        }
        String s = headerValue.strip();
        int sp = indexOfWhitespace(s);
        String scheme = sp < 0 ? s : s.substring(0, sp);
        if (!scheme.equalsIgnoreCase("Digest")) {
            throw new IllegalArgumentException("not a Digest challenge: " + headerValue);
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = sp < 0 ? s.length() : sp;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            if (i >= s.length()) {
                break;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("malformed Digest challenge: " + headerValue);
            }
            String name = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    char c = s.charAt(i);
                    if (c == '\\' && i + 1 < s.length()) {
                        c = s.charAt(++i);
                    }
                    value.append(c);
                    i++;
                }
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated quoted string in: " + headerValue);
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ',') {
                    value.append(s.charAt(i++));
                }
            }
            params.put(name, value.toString().strip());
        }
        Challenge challenge = new Challenge(params);
        if (challenge.realm() == null || challenge.nonce() == null) {
            throw new IllegalArgumentException("Digest challenge without realm or nonce: " + headerValue);
        }
        return challenge;
    }

    /** True if {@link #authorization} can answer this challenge value (Digest, supported algorithm and qop). */
    public static boolean canAnswer(String challengeValue) {
        try {
            Challenge c = parseChallenge(challengeValue);
            hashName(c.algorithm());
            return c.qopOptions().isEmpty() || c.qopOptions().contains("auth");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Answers the challenge with a random cnonce and nonce count 1. */
    public static String authorization(String challengeValue, String username, String password,
                                       String method, String digestUri) {
        byte[] cnonce = new byte[12];
        RANDOM.nextBytes(cnonce);
        return authorization(challengeValue, username, password, method, digestUri,
                HexFormat.of().formatHex(cnonce), 1);
    }

    /**
     * Answers the challenge with the given cnonce and nonce count (used only with qop=auth).
     *
     * @return the value for an Authorization or Proxy-Authorization header
     * @throws IllegalArgumentException if the challenge is malformed or cannot be answered
     */
    public static String authorization(String challengeValue, String username, String password,
                                       String method, String digestUri, String cnonce, int nc) {
        Challenge c = parseChallenge(challengeValue);
        String algorithm = c.algorithm();
        String hash = hashName(algorithm);
        List<String> qops = c.qopOptions();
        String qop = null;
        if (!qops.isEmpty()) {
            if (!qops.contains("auth")) {
                throw new IllegalArgumentException("only qop=auth or no qop is supported, offered: " + qops);
            }
            qop = "auth";
        }
        String ncValue = String.format("%08x", nc);

        String ha1 = hex(hash, username + ":" + c.realm() + ":" + password);
        if (algorithm.toLowerCase(Locale.ROOT).endsWith("-sess")) {
            ha1 = hex(hash, ha1 + ":" + c.nonce() + ":" + cnonce);
        }
        String ha2 = hex(hash, method + ":" + digestUri);
        String response = qop == null
                ? hex(hash, ha1 + ":" + c.nonce() + ":" + ha2)
                : hex(hash, ha1 + ":" + c.nonce() + ":" + ncValue + ":" + cnonce + ":" + qop + ":" + ha2);

        StringBuilder out = new StringBuilder("Digest ");
        out.append("username=").append(quote(username));
        out.append(", realm=").append(quote(c.realm()));
        out.append(", nonce=").append(quote(c.nonce()));
        out.append(", uri=").append(quote(digestUri));
        out.append(", response=").append(quote(response));
        out.append(", algorithm=").append(algorithm);
        if (c.opaque() != null) {
            out.append(", opaque=").append(quote(c.opaque()));
        }
        if (qop != null) {
            out.append(", qop=").append(qop);
            out.append(", cnonce=").append(quote(cnonce));
            out.append(", nc=").append(ncValue);
        }
        return out.toString();
    }

    private static String hashName(String algorithm) {
        switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "MD5":
            case "MD5-SESS":
                return "MD5";
            case "SHA-256":
            case "SHA-256-SESS":
                return "SHA-256";
            default:
                throw new IllegalArgumentException("unsupported Digest algorithm: " + algorithm);
        }
    }

    private static String hex(String hash, String input) {
        try {
            MessageDigest md = MessageDigest.getInstance(hash);
            return HexFormat.of().formatHex(md.digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}

package org.webims.gateway.bench.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers a SIP Digest challenge (RFC 3261 §22.4, RFC 2617, RFC 7616): MD5 or SHA-256, {@code qop=auth} when the
 * challenge offers it (cnonce, nc=00000001), none otherwise.
 */
public final class Digest {
    private Digest() {}

    /** The value of an {@code Authorization} header answering {@code challenge} (a {@code Digest ...} value). */
    public static String authorization(String challenge, String username, String password, String method,
            String digestUri) {
        return authorization(challenge, username, password, method, digestUri,
                Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
    }

    static String authorization(String challenge, String username, String password, String method,
            String digestUri, String cnonce) {
        Map<String, String> p = parse(challenge);
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        if (realm == null || nonce == null) {
            throw new IllegalArgumentException("Digest challenge without realm or nonce: " + challenge);
        }
        String algorithm = p.getOrDefault("algorithm", "MD5");
        String hash = switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "MD5", "MD5-SESS" -> "MD5";
            case "SHA-256", "SHA-256-SESS" -> "SHA-256";
            default -> throw new IllegalArgumentException("unsupported algorithm " + algorithm);
        };
        String qopOffered = p.get("qop");
        boolean qopAuth = qopOffered != null && ("," + qopOffered.replace(" ", "") + ",").contains(",auth,");
        if (qopOffered != null && !qopAuth) {
            throw new IllegalArgumentException("only qop=auth is supported: " + qopOffered);
        }
        String nc = "00000001";
        String ha1 = hex(hash, username + ":" + realm + ":" + password);
        if (algorithm.toLowerCase(Locale.ROOT).endsWith("-sess")) {
            ha1 = hex(hash, ha1 + ":" + nonce + ":" + cnonce);
        }
        String ha2 = hex(hash, method + ":" + digestUri);
        String response = qopAuth
                ? hex(hash, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                : hex(hash, ha1 + ":" + nonce + ":" + ha2);
        StringBuilder out = new StringBuilder(256).append("Digest username=\"").append(username)
                .append("\", realm=\"").append(realm).append("\", nonce=\"").append(nonce)
                .append("\", uri=\"").append(digestUri).append("\", response=\"").append(response)
                .append("\", algorithm=").append(algorithm);
        if (p.containsKey("opaque")) {
            out.append(", opaque=\"").append(p.get("opaque")).append('"');
        }
        if (qopAuth) {
            out.append(", qop=auth, cnonce=\"").append(cnonce).append("\", nc=").append(nc);
        }
        return out.toString();
    }

    /** The parameters of a {@code Digest ...} challenge, names in lower case, values unquoted. */
    static Map<String, String> parse(String challenge) {
        String s = challenge.strip();
        if (!s.regionMatches(true, 0, "Digest ", 0, 7)) {
            throw new IllegalArgumentException("not a Digest challenge: " + challenge);
        }
        Map<String, String> params = new HashMap<>();
        int i = 7;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < s.length() && s.charAt(i) == '"') {
                int close = s.indexOf('"', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated quote in " + challenge);
                }
                value = s.substring(i + 1, close);
                i = close + 1;
            } else {
                int comma = s.indexOf(',', i);
                int end = comma < 0 ? s.length() : comma;
                value = s.substring(i, end).strip();
                i = end;
            }
            params.put(name, value);
        }
        return params;
    }

    private static String hex(String algorithm, String input) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance(algorithm).digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

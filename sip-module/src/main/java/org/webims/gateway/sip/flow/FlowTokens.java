package org.webims.gateway.sip.flow;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Flow tokens (RFC 5626 §5.2): the flow id and a truncated HMAC-SHA256 over it, base64url-encoded, so that a token
 * the core hands back cannot be forged to reach another user's connection. The key is random per process: flows do
 * not outlive the process either.
 */
public final class FlowTokens {
    private static final int MAC_BYTES = 10;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    /** One initialised Mac per thread: looking one up and keying it was most of a token's cost (issue 14). */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public FlowTokens(byte[] secret) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public static FlowTokens withRandomKey() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new FlowTokens(secret);
    }

    public String encode(FlowId id) {
        byte[] idBytes = ByteBuffer.allocate(Long.BYTES).putLong(id.value()).array();
        byte[] token = ByteBuffer.allocate(Long.BYTES + MAC_BYTES).put(idBytes).put(mac(idBytes)).array();
        return ENCODER.encodeToString(token);
    }

    /** The flow a token names, or empty when the token was not made by this gateway. */
    public Optional<FlowId> decode(String token) {
        if (token == null || token.isEmpty() || token.length() > 64) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = DECODER.decode(token);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        if (raw.length != Long.BYTES + MAC_BYTES) {
            return Optional.empty();
        }
        byte[] idBytes = Arrays.copyOfRange(raw, 0, Long.BYTES);
        byte[] presented = Arrays.copyOfRange(raw, Long.BYTES, raw.length);
        if (!MessageDigest.isEqual(mac(idBytes), presented)) {
            return Optional.empty();
        }
        return Optional.of(new FlowId(ByteBuffer.wrap(idBytes).getLong()));
    }

    private byte[] mac(byte[] data) {
        Mac mac = macs.get();
        return Arrays.copyOf(mac.doFinal(data), MAC_BYTES); // doFinal leaves it ready for the next
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

package org.webims.gateway.ejb.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address range (RFC 4632 notation; a bare address is a /32 or /128). */
public record Cidr(byte[] network, int prefixLength, String text) {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    /** The range, or empty when {@code text} is not one (names are never resolved). */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (address.isEmpty() || !LITERAL.matcher(address).matches()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        int max = bytes.length * 8;
        int length;
        try {
            length = slash < 0 ? max : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (length < 0 || length > max) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(mask(bytes, length), length, trimmed));
    }

    /** Whether an address literal is in this range. */
    public boolean contains(String address) {
        Optional<byte[]> bytes = literal(address);
        return bytes.isPresent() && bytes.get().length == network.length
                && java.util.Arrays.equals(mask(bytes.get(), prefixLength), network);
    }

    /** The bytes of an address literal, or empty when it is not one. */
    public static Optional<byte[]> literal(String address) {
        if (address == null || address.isEmpty() || !LITERAL.matcher(address).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(address).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static byte[] mask(byte[] address, int length) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bits = Math.max(0, Math.min(8, length - i * 8));
            masked[i] = (byte) (masked[i] & (0xff << (8 - bits)));
        }
        return masked;
    }
}

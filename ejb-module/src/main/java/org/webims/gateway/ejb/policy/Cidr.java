package org.webims.gateway.ejb.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range (RFC 4632 notation; a bare address is a /32 or /128). Only address literals are
 * read (RFC 791 dotted quad, RFC 4291 §2.2 text forms): a name is never looked up, whatever it looks like.
 */
public record Cidr(byte[] network, int prefixLength, String text) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** The range, or empty when {@code text} is not one. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        Optional<byte[]> bytes = literal(slash < 0 ? trimmed : trimmed.substring(0, slash));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int max = bytes.get().length * 8;
        int length;
        try {
            length = slash < 0 ? max : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (length < 0 || length > max) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(mask(bytes.get(), length), length, trimmed));
    }

    /** Whether an address literal is in this range. */
    public boolean contains(String address) {
        Optional<byte[]> bytes = literal(address);
        return bytes.isPresent() && bytes.get().length == network.length
                && java.util.Arrays.equals(mask(bytes.get(), prefixLength), network);
    }

    /**
     * The bytes of an address literal, or empty when it is not one: a dotted quad, or an IPv6 text form (it has a
     * {@code :}; an IPv4-mapped address gives the IPv4 bytes). The JDK parses a literal without any lookup.
     */
    public static Optional<byte[]> literal(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String text = address.trim();
        java.util.regex.Matcher quad = IPV4.matcher(text);
        if (quad.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(quad.group(i + 1));
                if (octet > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) octet;
            }
            return Optional.of(bytes);
        }
        if (!text.contains(":") || !IPV6.matcher(text).matches()) {
            return Optional.empty(); // a name, or nothing: never resolved
        }
        try {
            return Optional.of(InetAddress.getByName(text).getAddress()); // a literal with ':' is never looked up
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

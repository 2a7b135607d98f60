package org.webims.gateway.web.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.webims.gateway.ejb.policy.Cidr;

/**
 * The client's address behind a trusted reverse proxy (RFC 7239 §5.2 practice with {@code X-Forwarded-For}): the
 * rightmost address in the header that is not itself a trusted proxy. A peer that is not a trusted proxy is the
 * client whatever it wrote; a header from a trusted proxy that cannot be read leaves the peer (and is reported).
 */
public final class ForwardedFor {
    private final List<Cidr> trustedProxies;

    public ForwardedFor(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** {@code gateway.policy.trusted-proxies}: comma-separated addresses or CIDR ranges; empty: none. */
    public static ForwardedFor parse(String list) {
        List<Cidr> ranges = new java.util.ArrayList<>();
        for (String item : list.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            ranges.add(Cidr.parse(item).orElseThrow(() -> new IllegalArgumentException(
                    "gateway.policy.trusted-proxies: '" + item.trim() + "' is not an address or CIDR range")));
        }
        return new ForwardedFor(ranges);
    }

    /** The client's address, or empty when a trusted proxy sent a header that cannot be read. */
    public Optional<InetAddress> client(InetAddress peer, String header) {
        if (!trusted(peer.getHostAddress())) {
            return Optional.of(peer);
        }
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String[] hops = header.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            Optional<byte[]> bytes = Cidr.literal(hop);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            if (!trusted(hop)) {
                try {
                    return Optional.of(InetAddress.getByAddress(bytes.get()));
                } catch (UnknownHostException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty(); // every hop a trusted proxy: no client address given
    }

    public boolean anyTrusted() {
        return !trustedProxies.isEmpty();
    }

    private boolean trusted(String address) {
        return trustedProxies.stream().anyMatch(range -> range.contains(address));
    }
}

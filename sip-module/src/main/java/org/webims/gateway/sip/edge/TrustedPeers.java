package org.webims.gateway.sip.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The IMS core's nodes the gateway takes SIP from on its core side ({@code gateway.ims.trusted-peers}): addresses
 * and CIDR ranges, IPv4 or IPv6, e.g. {@code 10.20.0.0/16, 192.0.2.7}. Empty means any host, for a gateway whose
 * core-side port only the core can reach (TS 33.210: Mw inside the operator's security domain). Plain Java.
 */
public final class TrustedPeers {

    private record Range(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixBits;
            } catch (UnknownHostException impossible) {
                return Arrays.toString(network) + "/" + prefixBits;
            }
        }
    }

    private final List<Range> ranges;

    private TrustedPeers(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * Parses a comma-separated list of literal addresses and CIDR ranges; blank means any host.
     *
     * @throws IllegalArgumentException naming the entry that is not an address or a range (host names are refused:
     *     trust is not left to DNS)
     */
    public static TrustedPeers parse(String spec) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : spec == null ? new String[0] : spec.split(",")) {
            String item = entry.strip();
            if (item.isEmpty()) {
                continue;
            }
            int slash = item.indexOf('/');
            String host = slash < 0 ? item : item.substring(0, slash);
            // four dotted parts for IPv4 (Java would read "10" or "10.1" as shortened addresses), or an IPv6 literal
            if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                throw new IllegalArgumentException("gateway.ims.trusted-peers: '" + item
                        + "' is not an IP address or CIDR range");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress(); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("gateway.ims.trusted-peers: '" + item + "' is not an address", e);
            }
            if (network.length == 4 && host.contains(":")) {
                throw new IllegalArgumentException("gateway.ims.trusted-peers: '" + item
                        + "' is an IPv4-mapped IPv6 address: write it as IPv4");
            }
            int bits = network.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(item.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("gateway.ims.trusted-peers: '" + item
                            + "' has no prefix length between 0 and " + bits);
                }
            }
            ranges.add(new Range(network, prefix));
        }
        return new TrustedPeers(ranges);
    }

    /** Whether every host is trusted (nothing configured). */
    public boolean anyHost() {
        return ranges.isEmpty();
    }

    public boolean trusts(InetAddress address) {
        if (anyHost()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        byte[] raw = address.getAddress();
        return ranges.stream().anyMatch(r -> r.contains(raw));
    }

    @Override
    public String toString() {
        return anyHost() ? "any host" : ranges.toString();
    }
}

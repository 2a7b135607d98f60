package org.webims.gateway.sip.signalling;

/**
 * Which requests toward the core may go over UDP (RFC 3261 §18.1.1): one within 200 bytes of the path MTU, or over
 * 1300 bytes when the path MTU is unknown, goes over a congestion-controlled transport (TCP) instead.
 *
 * @param pathMtu the path MTU toward the core in bytes, as the operator knows it ({@code gateway.ims.path-mtu}); 0 when
 *                unknown
 */
public record UdpSizeLimit(int pathMtu) {
    /** §18.1.1's limit when the path MTU is unknown (200 bytes under Ethernet's 1500). */
    static final int UNKNOWN_PATH_MTU_LIMIT = 1300;
    /** §18.1.1's margin under a known path MTU. */
    static final int MARGIN = 200;
    /** The smallest MTU an IPv4 host must accept (RFC 791); below it a setting is a mistake. */
    static final int MIN_PATH_MTU = 576;

    public UdpSizeLimit {
        if (pathMtu != 0 && (pathMtu < MIN_PATH_MTU || pathMtu > 65_536)) {
            throw new IllegalArgumentException("path MTU must be 0 (unknown) or " + MIN_PATH_MTU + " to 65536 bytes: "
                    + pathMtu);
        }
    }

    /** The largest request, in bytes, still sent over UDP. */
    public int bytes() {
        return pathMtu == 0 ? UNKNOWN_PATH_MTU_LIMIT : pathMtu - MARGIN;
    }

    /** Whether a request of {@code length} bytes must leave over TCP rather than UDP. */
    public boolean exceededBy(int length) {
        return length > bytes();
    }
}

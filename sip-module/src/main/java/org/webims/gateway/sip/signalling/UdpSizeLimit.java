package org.webims.gateway.sip.signalling;

import java.nio.charset.StandardCharsets;

/**
 * Which requests toward the core may go over UDP (RFC 3261 §18.1.1): one within 200 bytes of the path MTU, or larger
 * than 1300 bytes when the path MTU is unknown, goes over a congestion-controlled transport (TCP) instead.
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
    static final int MAX_PATH_MTU = 65_536;

    public UdpSizeLimit {
        if (pathMtu != 0 && (pathMtu < MIN_PATH_MTU || pathMtu > MAX_PATH_MTU)) {
            throw new IllegalArgumentException("the path MTU must be 0 (unknown) or " + MIN_PATH_MTU + " to "
                    + MAX_PATH_MTU + " bytes, not " + pathMtu);
        }
    }

    /** The largest request, in bytes, still sent over UDP. */
    public int largestOverUdp() {
        return pathMtu == 0 ? UNKNOWN_PATH_MTU_LIMIT : pathMtu - MARGIN - 1;
    }

    /** Whether a request of {@code bytes} bytes on the wire must leave over TCP rather than UDP. */
    public boolean exceededBy(int bytes) {
        return bytes > largestOverUdp();
    }

    /**
     * The bytes {@code text} takes in UTF-8, SIP's encoding (RFC 3261 §7.3.1): the JDK's encoder, vectorised for the
     * ASCII a SIP message nearly always is (a hand-written loop over the characters took 6 % of the gateway's samples
     * in a profile under load), and exactly what goes out (a lone surrogate as '?').
     */
    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}

package org.webims.gateway.sip.call;

import java.util.Locale;

/**
 * RFC 5009 §8: the network authorises early media with P-Early-Media. A provisional response whose header says
 * the network does not send early media toward the user ({@code recvonly} or {@code inactive}) must not open the
 * client's early media; without the header, early media flows (the core did not ask for gating).
 */
public final class EarlyMediaGate {
    private EarlyMediaGate() {}

    /** Whether early media from the network toward the user is authorised by this P-Early-Media value (or null). */
    public static boolean allowsTowardUser(String pEarlyMedia) {
        if (pEarlyMedia == null || pEarlyMedia.isBlank()) {
            return true;
        }
        for (String value : pEarlyMedia.split(",")) {
            String direction = value.trim().toLowerCase(Locale.ROOT);
            if (direction.equals("sendrecv") || direction.equals("sendonly")) {
                return true;
            }
        }
        return false;
    }
}

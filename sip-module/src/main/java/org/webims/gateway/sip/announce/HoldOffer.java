package org.webims.gateway.sip.announce;

/**
 * Whether an SDP offer puts the call on hold (RFC 3264 §8.4): its first audio stream {@code sendonly} or
 * {@code inactive} (the stream's attribute, else the session's), or the RFC 2543 way, a connection address 0.0.0.0.
 */
public final class HoldOffer {
    private HoldOffer() {}

    public static boolean holds(String sdp) {
        String session = null;
        String audio = null;
        boolean inAudio = false;
        boolean seenAudio = false;
        boolean zeroAddress = false;
        for (String line : sdp.lines().map(String::trim).toList()) {
            if (line.startsWith("m=")) {
                inAudio = !seenAudio && line.startsWith("m=audio ");
                seenAudio |= inAudio;
            } else if (line.equals("a=sendonly") || line.equals("a=inactive") || line.equals("a=sendrecv")
                    || line.equals("a=recvonly")) {
                if (inAudio) {
                    audio = line.substring(2);
                } else if (!seenAudio) {
                    session = line.substring(2);
                }
            } else if (line.startsWith("c=IN IP4 0.0.0.0") && (inAudio || !seenAudio)) {
                zeroAddress = true;
            }
        }
        String direction = audio != null ? audio : session;
        return "sendonly".equals(direction) || "inactive".equals(direction) || zeroAddress && direction == null;
    }
}

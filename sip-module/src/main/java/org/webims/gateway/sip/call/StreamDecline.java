package org.webims.gateway.sip.call;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Declines the media streams of given kinds in an SDP body: their port becomes 0 (RFC 3264 §6 in an answer, §8.2 in
 * an offer: the stream is not used) and their mid leaves the BUNDLE group (RFC 8843 §7.3.3: a rejected m-line is
 * not in a group; a browser refuses a group naming one). The other streams and every other line are kept as they are.
 */
public final class StreamDecline {
    private StreamDecline() {
    }

    /** The media kinds of the m-lines of an SDP body, in order ({@code audio}, {@code video}, ...). */
    public static Set<String> kinds(String sdp) {
        Set<String> kinds = new LinkedHashSet<>();
        if (sdp == null) {
            return kinds;
        }
        for (String line : SdpLines.of(sdp)) {
            if (line.startsWith("m=")) {
                int space = line.indexOf(' ');
                kinds.add(line.substring(2, space < 0 ? line.length() : space).toLowerCase(Locale.ROOT));
            }
        }
        return kinds;
    }

    /** The body with every m-line of these kinds declined; the body itself when none is there or none is active. */
    public static String decline(String sdp, Set<String> declined) {
        if (sdp == null || declined.isEmpty()) {
            return sdp;
        }
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        List<String> lines = new ArrayList<>(List.of(SdpLines.of(sdp)));
        Set<String> removedMids = new LinkedHashSet<>();
        boolean inDeclined = false;
        boolean changed = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("m=")) {
                String[] f = line.substring(2).split(" ", 3);
                inDeclined = f.length == 3 && declined.contains(f[0].toLowerCase(Locale.ROOT));
                if (inDeclined && !f[1].equals("0")) {
                    lines.set(i, "m=" + f[0] + " 0 " + f[2]);
                    changed = true;
                }
            } else if (inDeclined && line.startsWith("a=mid:")) {
                removedMids.add(line.substring(6).trim());
            } else if (inDeclined && line.equals("a=bundle-only")) {
                lines.set(i, ""); // RFC 8843 §6: port 0 with bundle-only would mean "bundled", not declined
                changed = true;
            }
        }
        if (!changed && removedMids.isEmpty()) {
            return sdp;
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("a=group:BUNDLE") && !removedMids.isEmpty()) {
                List<String> kept = new ArrayList<>();
                for (String token : line.substring("a=group:BUNDLE".length()).trim().split("\\s+")) {
                    if (!token.isEmpty() && !removedMids.contains(token)) {
                        kept.add(token);
                    }
                }
                lines.set(i, "a=group:BUNDLE" + (kept.isEmpty() ? "" : " " + String.join(" ", kept)));
            }
        }
        lines.removeIf(line -> line.isEmpty() || line.equals("a=group:BUNDLE"));
        return String.join(eol, lines) + eol;
    }
}

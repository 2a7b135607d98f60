package org.webims.gateway.sip.announce;

import java.util.ArrayList;
import java.util.List;

/**
 * The IMS-side answer that stands in for a party that never answered, so that the media gateway can complete the
 * session toward the WebRTC client and play into it (RFC 3264 §6): the first audio stream accepted with G.711 where
 * offered (PCMA, else PCMU; what an IMS media server answers), else its first codec, {@code sendonly} (the announcer
 * only speaks), every other stream declined with port 0.
 */
public final class AnnouncerSdp {
    private AnnouncerSdp() {}

    /** The answer to {@code offer} (the SDP the media gateway produced toward the IMS side). */
    public static String answerTo(String offer) {
        List<String> lines = offer.lines().toList();
        List<String> out = new ArrayList<>(List.of("v=0", "o=- " + System.currentTimeMillis() / 1000
                + " 1 IN IP4 127.0.0.1", "s=announcement", "c=IN IP4 127.0.0.1", "t=0 0"));
        boolean audioTaken = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("m=")) {
                continue;
            }
            String[] m = line.substring(2).split(" ");
            if (m.length < 4) {
                continue;
            }
            String format = m[3];
            if (!audioTaken && "audio".equals(m[0])) {
                format = g711(lines, i, List.of(m).subList(3, m.length)).orElse(format);
                audioTaken = true;
                out.add("m=audio 9 " + m[2] + " " + format); // RFC 863 discard: nothing is listened to there
                rtpmap(lines, i, format).ifPresent(out::add);
                out.add("a=sendonly");
            } else {
                out.add("m=" + m[0] + " 0 " + m[2] + " " + format); // RFC 3264 §6: declined
            }
        }
        if (!audioTaken) {
            throw new IllegalArgumentException("the offer has no audio stream to announce on");
        }
        return String.join("\r\n", out) + "\r\n";
    }

    private static java.util.Optional<String> g711(List<String> lines, int media, List<String> formats) {
        for (String codec : List.of("PCMA/8000", "PCMU/8000")) {
            for (String format : formats) {
                if (rtpmap(lines, media, format).map(line -> line.contains(" " + codec)).orElse(
                        format.equals(codec.startsWith("PCMA") ? "8" : "0"))) {
                    return java.util.Optional.of(format);
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> rtpmap(List<String> lines, int media, String format) {
        for (int i = media + 1; i < lines.size() && !lines.get(i).startsWith("m="); i++) {
            if (lines.get(i).startsWith("a=rtpmap:" + format + " ")) {
                return java.util.Optional.of(lines.get(i));
            }
        }
        return java.util.Optional.empty();
    }
}

package org.webims.gateway.sip.call;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an SDP body says about media, for the call list: each m-line's kind, port and codec names in order of
 * preference (RFC 8866 §5.14, rtpmap §6.6; static payload types of RFC 3551).
 */
public record SdpSummary(List<Stream> streams) {

    /** One m-line: media kind, port (0 = declined), protocol and codec names. */
    public record Stream(String kind, int port, String protocol, List<String> codecs) {}

    private static final Map<String, String> STATIC = Map.of("0", "PCMU", "8", "PCMA", "9", "G722", "18", "G729",
            "3", "GSM", "4", "G723", "13", "CN");

    public static SdpSummary parse(String sdp) {
        List<Stream> streams = new ArrayList<>();
        if (sdp == null) {
            return new SdpSummary(streams);
        }
        String kind = null;
        String protocol = null;
        int port = 0;
        Map<String, String> codecs = new LinkedHashMap<>();
        for (String raw : SdpLines.of(sdp)) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                if (kind != null) {
                    streams.add(new Stream(kind, port, protocol, List.copyOf(codecs.values())));
                }
                String[] f = line.substring(2).split(" ");
                kind = f[0];
                port = f.length > 1 ? parsePort(f[1]) : 0;
                protocol = f.length > 2 ? f[2] : "";
                codecs = new LinkedHashMap<>();
                for (int i = 3; i < f.length; i++) {
                    codecs.put(f[i], STATIC.getOrDefault(f[i], f[i]));
                }
            } else if (line.startsWith("a=rtpmap:") && kind != null) {
                String[] f = line.substring(9).split(" ", 2);
                if (f.length == 2 && codecs.containsKey(f[0])) {
                    codecs.put(f[0], f[1].split("/")[0]);
                }
            }
        }
        if (kind != null) {
            streams.add(new Stream(kind, port, protocol, List.copyOf(codecs.values())));
        }
        return new SdpSummary(List.copyOf(streams));
    }

    /**
     * The audio codec an answer settled on and its RFC 4733 event codec when present: the first format of the first
     * accepted audio stream is the one in use (RFC 3264 §6.1). Empty when there is no accepted audio.
     */
    public List<String> audioInUse() {
        for (Stream s : streams) {
            if ("audio".equals(s.kind()) && s.port() != 0 && !s.codecs().isEmpty()) {
                List<String> inUse = new ArrayList<>(List.of(s.codecs().get(0)));
                s.codecs().stream().filter("telephone-event"::equalsIgnoreCase).findFirst().ifPresent(inUse::add);
                return List.copyOf(inUse);
            }
        }
        return List.of();
    }

    /** The codec names of the first audio stream, declined or not. */
    public List<String> audioCodecs() {
        return streams.stream().filter(s -> "audio".equals(s.kind())).findFirst().map(Stream::codecs)
                .orElse(List.of());
    }

    /** "audio: opus, telephone-event; video: VP8" — declined streams are shown as such. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Stream s : streams) {
            parts.add(s.kind() + ": " + (s.port() == 0 ? "declined" : String.join(", ", s.codecs())));
        }
        return String.join("; ", parts);
    }

    private static int parsePort(String field) {
        try {
            return Integer.parseInt(field.split("/")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

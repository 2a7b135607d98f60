package org.webims.gateway.sip.call;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an SDP offer (RFC 8866) before it reaches the media gateway, which would otherwise take ports for every
 * m-line it is given: the limits of {@link SdpLimits} and the values rtpengine cannot serve (ports out of range, RTP
 * payload types outside 0-127, unknown transports, a stream without a connection address, lines that are not
 * {@code <type>=<value>}). Plain Java, no I/O; a linear pass over at most {@code maxBytes}.
 */
public final class SdpValidator {
    /** RFC 8866 §5.14 proto values this gateway can anchor or pass on (IANA "SDP Parameters", proto). */
    private static final Set<String> TRANSPORTS = Set.of("RTP/AVP", "RTP/AVPF", "RTP/SAVP", "RTP/SAVPF",
            "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF", "TCP/RTP/AVP", "TCP/RTP/AVPF", "TCP/TLS/RTP/SAVP",
            "TCP/TLS/RTP/SAVPF", "UDP/DTLS/SCTP", "TCP/DTLS/SCTP", "DTLS/SCTP", "UDPTL", "UDP", "TCP", "TCP/MSRP",
            "TCP/TLS/MSRP", "TCP/BFCP", "TCP/TLS/BFCP", "UDP/BFCP");
    /** RFC 8866 §9: media = token; fmt = token. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+");
    /** RFC 8866 §5.7: c=IN IP4|IP6 address (a literal or a name), with TTL / count for multicast. */
    private static final Pattern CONNECTION = Pattern.compile("IN IP[46] [0-9A-Za-z.:\\-]+(/\\d{1,3}){0,2}");

    private final SdpLimits limits;

    public SdpValidator(SdpLimits limits) {
        this.limits = limits;
    }

    /** Empty when the offer may go to the media gateway; otherwise the first reason it may not. */
    public Optional<SdpProblem> check(String sdp) {
        if (sdp.getBytes(StandardCharsets.UTF_8).length > limits.maxBytes()) {
            return problem(SdpProblem.OTHER, "SDP body over " + limits.maxBytes() + " bytes");
        }
        String[] lines = SdpLines.withTrailingEmpty(sdp);
        if (lines.length == 0 || !lines[0].strip().equals("v=0")) {
            return problem(SdpProblem.OTHER, "SDP must start with v=0");
        }
        int streams = 0;
        boolean sessionConnection = false;
        Stream stream = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i >= lines.length - 2) {
                continue; // the final CRLF, and one more a lenient writer adds
            }
            Optional<SdpProblem> bad = checkLine(line, i + 1);
            if (bad.isPresent()) {
                return bad;
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                if (stream != null && stream.lacksConnection(sessionConnection)) {
                    return missingConnection(streams);
                }
                if (++streams > limits.maxStreams()) {
                    return problem(SdpProblem.OTHER, "more than " + limits.maxStreams() + " media streams");
                }
                Optional<SdpProblem> badStream = checkMedia(value, streams);
                if (badStream.isPresent()) {
                    return badStream;
                }
                stream = new Stream(Integer.parseInt(value.split(" ")[1].split("/")[0]) != 0);
            } else if (type == 'c') {
                if (!CONNECTION.matcher(value).matches()) {
                    return problem(SdpProblem.ADDRESS, "unreadable connection address on line " + (i + 1));
                }
                if (stream == null) {
                    sessionConnection = true;
                } else {
                    stream.connection = true;
                }
            }
        }
        if (stream != null && stream.lacksConnection(sessionConnection)) {
            return missingConnection(streams);
        }
        return Optional.empty();
    }

    /** RFC 8866 §5: {@code <type>=<value>}, one lower-case letter, printable text, within the line limit. */
    private Optional<SdpProblem> checkLine(String line, int number) {
        if (line.getBytes(StandardCharsets.UTF_8).length > limits.maxLineBytes()) {
            return problem(SdpProblem.OTHER, "SDP line " + number + " over " + limits.maxLineBytes() + " bytes");
        }
        if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
            return problem(SdpProblem.OTHER, "SDP line " + number + " is not <type>=<value>");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return problem(SdpProblem.OTHER, "control character in SDP line " + number);
            }
        }
        return Optional.empty();
    }

    /** RFC 8866 §5.14: {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...}. */
    private Optional<SdpProblem> checkMedia(String value, int index) {
        String[] f = value.split(" ");
        String where = "media stream " + index;
        if (f.length < 4 || !TOKEN.matcher(f[0]).matches()) {
            return problem(SdpProblem.OTHER, where + " is not <media> <port> <proto> <fmt>...");
        }
        String[] port = f[1].split("/", -1);
        if (!isNumber(port[0], 5) || Integer.parseInt(port[0]) > 65_535) {
            return problem(SdpProblem.OTHER, where + ": port out of range");
        }
        if (port.length > 2 || port.length == 2 && !port[1].equals("1")) {
            return problem(SdpProblem.OTHER, where + ": several ports per stream are not supported");
        }
        String proto = f[2].toUpperCase(Locale.ROOT);
        if (!TRANSPORTS.contains(proto)) {
            return problem(SdpProblem.TRANSPORT, where + ": unknown transport protocol");
        }
        int formats = f.length - 3;
        if (formats > limits.maxFormats()) {
            return problem(SdpProblem.MEDIA_FORMAT, where + ": more than " + limits.maxFormats() + " formats");
        }
        boolean rtp = proto.contains("RTP/");
        for (int i = 3; i < f.length; i++) {
            if (rtp ? !isNumber(f[i], 3) || Integer.parseInt(f[i]) > 127 : !TOKEN.matcher(f[i]).matches()) {
                return problem(SdpProblem.MEDIA_FORMAT, where + (rtp ? ": RTP payload type outside 0-127"
                        : ": unreadable format"));
            }
        }
        return Optional.empty();
    }

    private static Optional<SdpProblem> missingConnection(int stream) {
        return problem(SdpProblem.ADDRESS, "media stream " + stream + " has no connection address (c=)");
    }

    private static boolean isNumber(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Optional<SdpProblem> problem(int code, String text) {
        return Optional.of(new SdpProblem(code, text));
    }

    /** An m-section being read: RFC 8866 §5.7, a stream in use needs c= here or at session level. */
    private static final class Stream {
        final boolean inUse;
        boolean connection;

        Stream(boolean inUse) {
            this.inUse = inUse;
        }

        boolean lacksConnection(boolean sessionConnection) {
            return inUse && !connection && !sessionConnection;
        }
    }
}

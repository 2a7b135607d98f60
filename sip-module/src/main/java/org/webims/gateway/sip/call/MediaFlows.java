package org.webims.gateway.sip.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.webims.gateway.ports.qos.MediaComponent;
import org.webims.gateway.ports.qos.MediaComponent.Direction;
import org.webims.gateway.ports.qos.MediaComponent.Endpoint;

/**
 * The media flows of a WebRTC leg for the PCRF (TS 29.214 §5.3.7, derived from SDP as TS 29.213 §6.2 says): one
 * component per m-line, the client's transport address from its SDP and the gateway's from ours toward it. A client
 * that put no usable default address in its m-line (RFC 8839 §4.2.1.1: 0.0.0.0 and port 9 while it had no candidate,
 * or an mDNS name) is located by its best host or reflexive ICE candidate with an IP address (RFC 8839 §5.1). The
 * bandwidth each way is the receiver's b=AS (RFC 8866 §5.8) or b=TIAS (RFC 3890), else a default per kind.
 */
public final class MediaFlows {
    /** Without b= lines: Opus at its usual ceiling with overheads, and a typical WebRTC video stream (bits/s). */
    static final long DEFAULT_AUDIO_BPS = 64_000;
    static final long DEFAULT_VIDEO_BPS = 2_000_000;
    static final long DEFAULT_OTHER_BPS = 64_000;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private MediaFlows() {
    }

    /**
     * The components of a leg from the client's last SDP and ours toward it (either may be null while not known, but
     * not both); {@code clientOffered} says which of the two was the offer.
     */
    public static List<MediaComponent> of(String clientSdp, String gatewaySdp, boolean clientOffered) {
        List<Section> client = sections(clientSdp);
        List<Section> gateway = sections(gatewaySdp);
        int count = Math.max(client.size(), gateway.size());
        List<MediaComponent> components = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Section c = i < client.size() ? client.get(i) : null;
            Section g = i < gateway.size() ? gateway.get(i) : null;
            Section any = c != null ? c : g;
            Direction direction = c != null ? c.direction() : reversed(g.direction());
            if (c != null && c.port == 0 || g != null && g.port == 0) {
                direction = Direction.REMOVED;
            }
            components.add(new MediaComponent(i + 1, any.kind, c == null ? Endpoint.UNKNOWN : c.endpoint(),
                    g == null ? Endpoint.UNKNOWN : g.endpoint(), (c == null || c.rtcpMux) && (g == null || g.rtcpMux),
                    direction, bandwidth(g, any.kind), bandwidth(c, any.kind), c == null ? null : c.lines(),
                    g == null ? null : g.lines(), clientOffered));
        }
        return List.copyOf(components);
    }

    /** What the sender of {@code section} may receive: its b= line, else the default for the kind. */
    private static long bandwidth(Section section, String kind) {
        if (section != null && section.bps > 0) {
            return section.bps;
        }
        return switch (kind) {
            case "audio" -> DEFAULT_AUDIO_BPS;
            case "video" -> DEFAULT_VIDEO_BPS;
            default -> DEFAULT_OTHER_BPS;
        };
    }

    private static Direction reversed(Direction d) {
        return switch (d) {
            case SENDONLY -> Direction.RECVONLY;
            case RECVONLY -> Direction.SENDONLY;
            default -> d;
        };
    }

    /** One m-section with what the session level gave it. */
    private static final class Section {
        String kind;
        int port;
        String address;
        String direction;
        boolean rtcpMux;
        long bps;
        final StringBuilder lines = new StringBuilder();
        /** The best candidate so far (RFC 8445 §5.1.2 priority) of component 1 over UDP with an IP address. */
        String candidateAddress;
        int candidatePort;
        long candidatePriority = -1;

        Direction direction() {
            return direction == null ? Direction.SENDRECV : Direction.valueOf(direction.toUpperCase(Locale.ROOT));
        }

        Endpoint endpoint() {
            boolean noDefault = address == null || "0.0.0.0".equals(address) || "::".equals(address) || port == 9
                    || !isIp(address);
            if (noDefault && candidateAddress != null) {
                return new Endpoint(candidateAddress, candidatePort);
            }
            return isIp(address) && !"0.0.0.0".equals(address) ? new Endpoint(address, port) : Endpoint.UNKNOWN;
        }

        String lines() {
            return lines.toString();
        }
    }

    private static List<Section> sections(String sdp) {
        List<Section> sections = new ArrayList<>();
        if (sdp == null) {
            return sections;
        }
        String sessionAddress = null;
        String sessionDirection = null;
        Section current = null;
        for (String raw : SdpLines.of(sdp)) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                current = new Section();
                String[] f = line.substring(2).split(" ");
                current.kind = f[0];
                current.port = f.length > 1 ? port(f[1]) : 0;
                current.address = sessionAddress;
                current.direction = sessionDirection;
                current.lines.append(line);
                sections.add(current);
            } else if (line.startsWith("c=")) {
                String[] f = line.substring(2).split(" ");
                String address = f.length > 2 ? f[2].split("/")[0] : null;
                if (current == null) {
                    sessionAddress = address;
                } else {
                    current.address = address;
                }
            } else if (isDirection(line)) {
                if (current == null) {
                    sessionDirection = line.substring(2);
                } else {
                    current.direction = line.substring(2);
                }
            } else if (current != null) {
                section(current, line);
            }
        }
        return sections;
    }

    private static void section(Section s, String line) {
        if (line.equals("a=rtcp-mux")) {
            s.rtcpMux = true;
        } else if (line.startsWith("b=AS:")) {
            s.bps = Math.max(s.bps, number(line.substring(5)) * 1000);
        } else if (line.startsWith("b=TIAS:") && s.bps == 0) {
            s.bps = number(line.substring(7));
        } else if (line.startsWith("a=candidate:")) {
            candidate(s, line.substring(12).split(" "));
        } else if (line.startsWith("a=rtpmap:") || line.startsWith("a=fmtp:")) {
            s.lines.append('\n').append(line);
        }
    }

    /** RFC 8839 §5.1: foundation component transport priority address port typ type ... */
    private static void candidate(Section s, String[] f) {
        if (f.length < 8 || !"1".equals(f[1]) || !"udp".equalsIgnoreCase(f[2]) || !isIp(f[4])) {
            return;
        }
        long priority = number(f[3]);
        if (priority > s.candidatePriority) {
            s.candidatePriority = priority;
            s.candidateAddress = f[4];
            s.candidatePort = port(f[5]);
        }
    }

    private static boolean isDirection(String line) {
        return line.equals("a=sendrecv") || line.equals("a=sendonly") || line.equals("a=recvonly")
                || line.equals("a=inactive");
    }

    private static boolean isIp(String address) {
        return address != null && (IPV4.matcher(address).matches() || address.contains(":"));
    }

    private static int port(String text) {
        long n = number(text.split("/")[0]);
        return n > 65535 ? 0 : (int) n;
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

package org.webims.gateway.sip.signalling;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which Request-URIs a WebRTC client may originate requests to ({@code gateway.originating.literal-targets}).
 * A client names a user at a domain, a telephone number or a service URN; the core routes it. A Request-URI with an
 * IP address, an explicit port or a {@code maddr} would make the core relay to a host and port of the client's
 * choosing (its own management or media control ports included), so it is refused unless the operator lists it
 * (TS 24.229 §5.2.6.3.2: the P-CSCF may reject a request by local policy). Plain Java.
 */
public final class OriginatingTargets {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** An allowed host with an inclusive port range; -1 for "no explicit port". */
    private record Allowed(String host, int fromPort, int toPort) {
        boolean covers(String h, int port) {
            return ("*".equals(host) || host.equals(h)) && (port < 0 || port >= fromPort && port <= toPort);
        }
    }

    /** Why a target is refused: the SIP status and the text of a Warning. */
    public record Refusal(int status, String warning) {}

    private final List<Allowed> allowed;

    private OriginatingTargets(List<Allowed> allowed) {
        this.allowed = allowed;
    }

    /**
     * From a comma list of {@code host}, {@code host:port} or {@code host:from-to} (IPv6 in brackets); {@code *}
     * alone allows anything (development only).
     *
     * @throws IllegalArgumentException naming the entry that does not parse
     */
    public static OriginatingTargets parse(String list) {
        List<Allowed> entries = new ArrayList<>();
        if (list != null) {
            for (String raw : list.split(",")) {
                String entry = raw.strip().toLowerCase(Locale.ROOT);
                if (!entry.isEmpty()) {
                    entries.add(entry(entry));
                }
            }
        }
        return new OriginatingTargets(List.copyOf(entries));
    }

    private static Allowed entry(String entry) {
        if ("*".equals(entry)) {
            return new Allowed("*", 0, 65535);
        }
        int colon = entry.startsWith("[") ? entry.indexOf(':', entry.indexOf(']')) : entry.lastIndexOf(':');
        if (colon < 0) {
            return new Allowed(entry, 0, 65535);
        }
        String host = entry.substring(0, colon);
        String ports = entry.substring(colon + 1);
        try {
            int dash = ports.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(ports.substring(dash + 1));
            if (host.isEmpty() || from < 1 || to > 65535 || from > to) {
                throw new NumberFormatException();
            }
            return new Allowed(host, from, to);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gateway.originating.literal-targets: bad entry '" + entry + "'");
        }
    }

    /**
     * The refusal of a Request-URI, or empty when it may go to the core.
     *
     * @param scheme the URI scheme
     * @param host the host of a sip/sips URI (else ignored)
     * @param port its explicit port, or -1
     * @param maddr whether it has a {@code maddr} parameter
     */
    public Optional<Refusal> check(String scheme, String host, int port, boolean maddr) {
        String s = scheme.toLowerCase(Locale.ROOT);
        if ("tel".equals(s) || "urn".equals(s)) {
            return Optional.empty(); // RFC 3966 numbers and RFC 5031 service URNs are routed by the core
        }
        if (!"sip".equals(s) && !"sips".equals(s)) {
            return Optional.of(new Refusal(416, "the " + scheme + " URI scheme is not served")); // RFC 3261 §21.4.14
        }
        if (maddr) {
            return Optional.of(new Refusal(403, "maddr in the Request-URI is not allowed"));
        }
        String h = host.toLowerCase(Locale.ROOT);
        boolean literal = IPV4.matcher(h).matches() || h.startsWith("[");
        if (!literal && port < 0) {
            return Optional.empty();
        }
        if (allowed.stream().anyMatch(a -> a.covers(h, port))) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(403, literal ? "destinations by IP address are not allowed"
                : "an explicit port in the Request-URI is not allowed"));
    }
}

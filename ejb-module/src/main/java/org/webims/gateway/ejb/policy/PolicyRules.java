package org.webims.gateway.ejb.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.webims.gateway.ports.policy.DialPlan;
import org.webims.gateway.ports.policy.Layer;

/** What each layer may set and what a valid value is; the first fault found is thrown, naming its field. */
public final class PolicyRules {
    public static final int MAX_NUMBER = 1_000_000;
    public static final int MAX_LIST = 1000;
    /** The longest item of a list (an Origin, a range, an identity). */
    public static final int MAX_ITEM = 256;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern IMPU = Pattern.compile("(sips?:[^@\\s]+@[^\\s]+|tel:\\+?[0-9*#().-]+(;[^\\s]*)?)",
            Pattern.CASE_INSENSITIVE);
    /** The fields each layer may set (issue 10; guestPool and guestDestinations are for issue 11's WAF). */
    private static final Map<Layer, Set<String>> FIELDS = new EnumMap<>(Map.of(
            Layer.DEFAULT, Set.of("services", "barredDestinations", "allowedDestinations", "maxCalls",
                    "maxCallSeconds"),
            Layer.SUBSCRIBER, Set.of("barred", "services", "barredDestinations", "allowedDestinations", "maxCalls",
                    "maxCallSeconds"),
            Layer.PROVIDER, Set.of("origins", "services", "barredDestinations", "allowedDestinations", "maxCalls",
                    "maxRegistrations", "guestPool", "guestDestinations"),
            Layer.NETWORK, Set.of("cidrs", "qos", "services")));

    private PolicyRules() {
    }

    public static Set<String> fieldsOf(Layer layer) {
        return FIELDS.getOrDefault(layer, Set.of());
    }

    /** A key the layer accepts: an IMPU for a subscriber, a name for a provider or a network. */
    public static void checkKey(Layer layer, String key) {
        switch (layer) {
            case SUBSCRIBER -> {
                if (!isImpu(key)) {
                    throw new InvalidPolicy("impu", "impu must be a sip:, sips: or tel: URI, not '" + key + "'");
                }
            }
            case PROVIDER, NETWORK -> {
                if (key == null || !NAME.matcher(key).matches()) {
                    throw new InvalidPolicy(layer == Layer.PROVIDER ? "id" : "name", (layer == Layer.PROVIDER ? "id"
                            : "name") + " must be 1 to 64 letters, digits, '.', '_' or '-'");
                }
            }
            default -> { }
        }
    }

    /** The values of an entry; which fields are set is checked when reading it ({@code PolicyJson}). */
    public static void check(PolicyEntry entry) {
        number("maxCalls", entry.maxCalls());
        number("maxCallSeconds", entry.maxCallSeconds());
        number("maxRegistrations", entry.maxRegistrations());
        prefixes("barredDestinations", entry.barredDestinations());
        prefixes("allowedDestinations", entry.allowedDestinations());
        prefixes("guestDestinations", entry.guestDestinations());
        list("origins", entry.origins());
        if (entry.origins() != null) {
            entry.origins().forEach(PolicyRules::origin);
        }
        list("cidrs", entry.cidrs());
        if (entry.cidrs() != null) {
            for (String cidr : entry.cidrs()) {
                if (Cidr.parse(cidr).isEmpty()) {
                    throw new InvalidPolicy("cidrs", "cidrs: '" + cidr + "' is not an IPv4 or IPv6 range such as "
                            + "10.0.0.0/8 or 2001:db8::/32");
                }
            }
        }
    }

    /** An Origin as browsers send it (RFC 6454 §6.2): scheme, host and port, lower case, no default port. */
    public static String origin(String origin) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException | NullPointerException e) {
            throw new InvalidPolicy("origins", "origins: '" + origin + "' is not an origin such as https://shop.example");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
            throw new InvalidPolicy("origins", "origins: '" + origin
                    + "' is not an origin (http or https, a host, an optional port, no path)");
        }
        int port = uri.getPort();
        boolean defaultPort = port < 0 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static void number(String field, Integer value) {
        if (value != null && (value < 0 || value > MAX_NUMBER)) {
            throw new InvalidPolicy(field, field + " must be a whole number from 0 to " + MAX_NUMBER);
        }
    }

    private static void prefixes(String field, List<String> prefixes) {
        list(field, prefixes);
        if (prefixes != null) {
            for (String prefix : prefixes) {
                if (!DialPlan.isPrefix(prefix)) {
                    throw new InvalidPolicy(field, field + ": '" + prefix + "' is not a prefix of digits, * or #, "
                            + "optionally after a + (e.g. \"+1900\", \"00\")");
                }
            }
        }
    }

    private static void list(String field, List<String> values) {
        if (values == null) {
            return;
        }
        if (values.size() > MAX_LIST) {
            throw new InvalidPolicy(field, field + " has more than " + MAX_LIST + " entries");
        }
        for (String value : values) {
            if (value.length() > MAX_ITEM) {
                throw new InvalidPolicy(field, field + " has an entry longer than " + MAX_ITEM + " characters");
            }
        }
    }

    /** A SIP, SIPS or tel URI of the form public user identities take (TS 23.003 §13.4), of a sane length. */
    public static boolean isImpu(String text) {
        return text != null && text.length() <= MAX_ITEM && IMPU.matcher(text).matches();
    }
}

package org.webims.gateway.ports.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The operator's dial plan, for matching destinations against barred prefixes. A dial string comes from a tel URI
 * (RFC 3966), a SIP URI with {@code user=phone} (RFC 3261 §19.1.1), or a SIP URI whose user part is a dial string.
 * Visual separators are dropped; a number dialled with the international prefix or the national (trunk) prefix is
 * also put in E.164 form ({@code +} country code number) when the operator configured its country code.
 *
 * <p>A barred prefix starting with {@code +} is matched against the E.164 form ({@code +1900}); any other against the
 * digits as dialled ({@code 00} bars every number dialled with the international prefix, {@code 118} short codes).
 *
 * @param countryCode         digits of the operator's country code, or empty when national numbers are not rewritten
 * @param internationalPrefix e.g. {@code 00}; empty for none
 * @param nationalPrefix      e.g. {@code 0}; empty for none
 */
public record DialPlan(String countryCode, String internationalPrefix, String nationalPrefix) {
    private static final Pattern DIGITS = Pattern.compile("[0-9]*");
    private static final Pattern VISUAL_SEPARATORS = Pattern.compile("[-.() ]");
    private static final Pattern DIAL_STRING = Pattern.compile("\\+?[0-9*#]+");
    /** A barred prefix as the REST API accepts it. */
    private static final Pattern PREFIX = Pattern.compile("\\+?[0-9*#]{1,32}");

    public DialPlan {
        Objects.requireNonNull(countryCode, "countryCode");
        Objects.requireNonNull(internationalPrefix, "internationalPrefix");
        Objects.requireNonNull(nationalPrefix, "nationalPrefix");
        for (String digits : new String[] {countryCode, internationalPrefix, nationalPrefix}) {
            if (!DIGITS.matcher(digits).matches()) {
                throw new IllegalArgumentException("not digits: " + digits);
            }
        }
    }

    /** International prefix 00, national prefix 0, no country code (national numbers kept as dialled). */
    public static DialPlan defaults() {
        return new DialPlan("", "00", "0");
    }

    /** Whether a barred prefix is well formed: digits, {@code *} or {@code #}, optionally after a {@code +}. */
    public static boolean isPrefix(String prefix) {
        return prefix != null && PREFIX.matcher(prefix).matches();
    }

    /** The destination a Request-URI names. */
    public Destination destination(String uri) {
        String dialled = dialString(uri == null ? "" : uri.trim());
        if (dialled == null) {
            return new Destination(null, null);
        }
        return new Destination(dialled, e164(dialled));
    }

    private static String dialString(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        String user;
        if (lower.startsWith("tel:")) {
            user = uri.substring(4);
        } else if (lower.startsWith("sip:") || lower.startsWith("sips:")) {
            String rest = uri.substring(uri.indexOf(':') + 1);
            int at = rest.indexOf('@');
            if (at < 0) {
                return null;
            }
            user = rest.substring(0, at);
        } else {
            return null;
        }
        int parameters = user.indexOf(';'); // ;phone-context=..., ;isub=...
        String number = VISUAL_SEPARATORS.matcher(parameters < 0 ? user : user.substring(0, parameters)).replaceAll("");
        return DIAL_STRING.matcher(number).matches() ? number : null;
    }

    private String e164(String dialled) {
        if (dialled.startsWith("+")) {
            return dialled;
        }
        if (!internationalPrefix.isEmpty() && dialled.startsWith(internationalPrefix)) {
            return "+" + dialled.substring(internationalPrefix.length());
        }
        if (!countryCode.isEmpty() && !nationalPrefix.isEmpty() && dialled.startsWith(nationalPrefix)) {
            return "+" + countryCode + dialled.substring(nationalPrefix.length());
        }
        return null; // a local or short number: no E.164 form
    }

    /**
     * A destination: the digits as dialled and their E.164 form (either null when the URI names no number, e.g.
     * {@code sip:bob@example.com}).
     */
    public record Destination(String dialled, String e164) {
        public boolean matches(String prefix) {
            if (prefix.startsWith("+")) {
                return e164 != null && e164.startsWith(prefix);
            }
            return dialled != null && dialled.startsWith(prefix);
        }
    }
}

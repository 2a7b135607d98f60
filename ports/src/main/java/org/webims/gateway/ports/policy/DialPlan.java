package org.webims.gateway.ports.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The operator's dial plan, for matching destinations against barred and allowed prefixes (TS 22.228 §11.2). A dial
 * string comes from a tel URI (RFC 3966), a SIP URI with {@code user=phone} or whose user part is a dial string
 * (RFC 3261 §19.1.1, unescaped per §19.1.2: {@code %2B} is a {@code +}). Visual separators are dropped. Its E.164
 * form: itself when it starts with {@code +}; with the international prefix replaced by {@code +}; with the national
 * (trunk) prefix replaced by {@code +} and the country code when one is configured; a local number in a global
 * {@code phone-context} (RFC 3966 §5.1.5) prefixed by that context.
 *
 * <p>A prefix with {@code +} ({@code +1900}) is matched against the E.164 form; one without ({@code 0019},
 * {@code 118}) against the digits as dialled and, put in E.164 form the same way, against the E.164 form too, so that
 * however the user dialled a number, a bar catches it ({@link #covers}).
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
        String user = userPart(uri == null ? "" : uri.trim());
        if (user == null) {
            return new Destination(null, null, this);
        }
        String[] parts = user.split(";");
        String number = VISUAL_SEPARATORS.matcher(parts[0]).replaceAll("");
        if (!DIAL_STRING.matcher(number).matches()) {
            return new Destination(null, null, this);
        }
        String context = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].toLowerCase(Locale.ROOT).startsWith("phone-context=")) {
                context = VISUAL_SEPARATORS.matcher(parts[i].substring("phone-context=".length())).replaceAll("");
            }
        }
        String e164 = e164(number);
        if (e164 == null && context != null && context.startsWith("+") && DIAL_STRING.matcher(context).matches()) {
            // RFC 3966 §5.1.5: a local number in a global context (its country or area code), trunk prefix dropped
            boolean trunk = !nationalPrefix.isEmpty() && number.startsWith(nationalPrefix);
            e164 = context + (trunk ? number.substring(nationalPrefix.length()) : number);
        }
        return new Destination(number, e164, this);
    }

    /** The user part of a tel URI, or of a SIP URI unescaped (RFC 3261 §19.1.2: %2B is a +), with its parameters. */
    private static String userPart(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.startsWith("tel:")) {
            return unescape(uri.substring(4));
        }
        if (!lower.startsWith("sip:") && !lower.startsWith("sips:")) {
            return null;
        }
        String rest = uri.substring(uri.indexOf(':') + 1);
        int at = rest.indexOf('@');
        return at < 0 ? null : unescape(rest.substring(0, at));
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                try {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException e) {
                    return text; // not an escape: left as it is, so it is no dial string
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The E.164 form of digits as dialled, or null for a local or short number. */
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
        return null;
    }

    /**
     * Whether a barred or allowed prefix covers a destination. A prefix with {@code +} is matched against the E.164
     * form. One without is matched against the digits as dialled and, turned into E.164 form the way a number is
     * ({@code 00} + digits, or the national prefix + digits when a country code is set), against the E.164 form too,
     * so that {@code tel:+19005550100} is as barred by {@code 0019} as {@code 0019005550100} is. A prefix of just the
     * international prefix ({@code 00}: international calls) covers E.164 numbers outside the operator's own country.
     */
    boolean covers(String prefix, String dialled, String e164) {
        if (prefix.startsWith("+")) {
            return e164 != null && e164.startsWith(prefix);
        }
        String asE164 = e164(prefix);
        if (asE164 == null || e164 == null) {
            return dialled != null && dialled.startsWith(prefix); // a short code, or a number with no E.164 form
        }
        // both have an E.164 form: decided there only, whatever the digits as dialled
        if (!e164.startsWith(asE164)) {
            return false;
        }
        String home = "+" + countryCode;
        boolean widerThanHome = !countryCode.isEmpty() && home.startsWith(asE164) && !home.equals(asE164);
        return !(widerThanHome && e164.startsWith(home)); // "00" bars calls abroad, not the home country's numbers
    }

    /**
     * A destination: the digits as dialled and their E.164 form (either null when the URI names no number, e.g.
     * {@code sip:bob@example.com}).
     */
    public record Destination(String dialled, String e164, DialPlan plan) {
        public boolean matches(String prefix) {
            return plan.covers(prefix, dialled, e164);
        }
    }
}

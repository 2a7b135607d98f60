package org.webims.gateway.ports.policy;

import java.util.Locale;

/**
 * Public user identities as policy compares them: scheme and host in lower case, URI parameters dropped (RFC 3261
 * §19.1.4), so a policy set for {@code sip:alice@IMS.example} applies to {@code sip:alice@ims.example;transport=tcp}.
 */
public final class Impus {
    private Impus() {
    }

    public static String normalise(String impu) {
        if (impu == null) {
            return null;
        }
        String trimmed = impu.trim();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            return trimmed;
        }
        String scheme = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = trimmed.substring(colon + 1);
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            return scheme + ":" + rest;
        }
        int at = rest.indexOf('@');
        if (at < 0) {
            return scheme + ":" + rest;
        }
        String host = rest.substring(at + 1);
        int parameters = host.indexOf(';');
        if (parameters >= 0) {
            host = host.substring(0, parameters);
        }
        return scheme + ":" + rest.substring(0, at) + "@" + host.toLowerCase(Locale.ROOT);
    }
}

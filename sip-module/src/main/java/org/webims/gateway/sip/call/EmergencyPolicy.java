package org.webims.gateway.sip.call;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Recognises emergency session requests, which are not supported for WebRTC IMS client access (TS 22.228 §11.2
 * note; TS 24.229 §5.2.10): a {@code urn:service:sos} URN (RFC 5031) or a dial string in
 * {@code gateway.emergency.numbers}, as a tel URI or the user part of a SIP URI.
 */
public final class EmergencyPolicy {
    private final Set<String> numbers;

    public EmergencyPolicy(Set<String> numbers) {
        this.numbers = numbers.stream().map(EmergencyPolicy::digits).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public static EmergencyPolicy ofList(String commaSeparated) {
        return new EmergencyPolicy(Stream.of(commaSeparated.split(",")).map(String::trim)
                .collect(Collectors.toSet()));
    }

    /** Whether a request addressed to this URI (Request-URI or To) asks for an emergency session. */
    public boolean isEmergency(String uri) {
        if (uri == null) {
            return false;
        }
        String u = uri.trim().toLowerCase(Locale.ROOT);
        if (u.startsWith("<") && u.endsWith(">")) {
            u = u.substring(1, u.length() - 1);
        }
        if (u.startsWith("urn:service:sos")) {
            return true; // RFC 5031 §4.2: urn:service:sos and its sub-services
        }
        String dialled;
        if (u.startsWith("tel:")) {
            dialled = u.substring(4);
        } else if (u.startsWith("sip:") || u.startsWith("sips:")) {
            int colon = u.indexOf(':');
            int at = u.indexOf('@');
            if (at < 0) {
                return false;
            }
            dialled = u.substring(colon + 1, at);
        } else {
            return false;
        }
        int params = dialled.indexOf(';');
        if (params >= 0) {
            dialled = dialled.substring(0, params);
        }
        return numbers.contains(digits(dialled));
    }

    /** A dial string without visual separators (RFC 3966 §5.1.1), keeping a leading '+'. */
    private static String digits(String dialString) {
        StringBuilder out = new StringBuilder();
        for (char c : dialString.toCharArray()) {
            if (Character.isDigit(c) || c == '*' || c == '#' || (c == '+' && out.length() == 0)) {
                out.append(c);
            } else if (c != '-' && c != '.' && c != '(' && c != ')' && c != ' ') {
                return "";
            }
        }
        return out.toString();
    }
}

package org.webims.gateway.sip.signalling;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import gov.nist.javax.sip.header.ims.PChargingVectorHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;

/**
 * The P-Charging-Vector (RFC 7315 §5.6) the gateway, as the P-CSCF, puts into the requests it sends toward the core
 * (TS 24.229 §5.2.2.1 REGISTER, §5.2.6.3 other requests, §5.2.7.2 INVITE): a new, unique icid-value, the address it
 * was generated at and the type 1 orig-ioi of the operator's network. The ICID is the IMS-Charging-Identifier of every
 * charging message for the session (TS 32.299 §7.2). Any vector a client sent is removed before (the trust boundary).
 */
public final class ChargingVector {
    public static final String HEADER = "P-Charging-Vector";
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * A gen-value we accept from the core: a token (RFC 3261 §25.1) of sensible length, also with '=' and '/' (base64,
     * as in RFC 7315's own example).
     */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9.!%*_+`'~\\-=/:]{1,128}");

    private ChargingVector() {}

    /** A new ICID: unique across restarts and gateways (the time, then 80 random bits), 32 hex digits. */
    public static String newIcid() {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        // the low 48 bits of the time as 12 hex digits (String.format was a measurable share of a REGISTER's CPU)
        return HexFormat.of().toHexDigits(System.currentTimeMillis()).substring(4) + HexFormat.of().formatHex(random);
    }

    /**
     * Sets a new vector with that ICID on a request toward the core (any other vector removed first):
     * {@code icid-value=ICID;icid-generated-at=OUR-HOST;orig-ioi=OUR-DOMAIN}. Built as a typed header, not parsed from
     * text: the parse was a measurable share of a REGISTER's allocation (issue 14).
     */
    public static void set(Request request, String icid, SipContext sip) {
        request.removeHeader(HEADER);
        try {
            PChargingVectorHeader header = sip.headers.createChargingVectorHeader(icid);
            header.setICIDGeneratedAt(sip.settings.sipHost());
            header.setOriginatingIOI(sip.settings.imsDomain());
            request.addHeader(header);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("P-Charging-Vector from our own settings", e);
        }
    }

    /** Sets a new vector with a new ICID; returns the ICID. */
    public static String setNew(Request request, SipContext sip) {
        String icid = newIcid();
        set(request, icid, sip);
        return icid;
    }

    /** The icid-value of the vector the core sent (a terminating request), if it has a well-formed one. */
    public static Optional<String> icidOf(Request request) {
        Header header = request.getHeader(HEADER);
        if (header == null) {
            return Optional.empty();
        }
        String text = header.toString();
        int colon = text.indexOf(':');
        return parseIcid(colon < 0 ? text : text.substring(colon + 1));
    }

    /** The icid-value parameter of a header value (RFC 7315 §5.6); a quoted-string's quotes removed. */
    static Optional<String> parseIcid(String value) {
        for (String parameter : value.trim().split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("icid-value")) {
                String icid = parameter.substring(equals + 1).trim();
                if (icid.length() >= 2 && icid.startsWith("\"") && icid.endsWith("\"")) {
                    icid = icid.substring(1, icid.length() - 1);
                }
                return TOKEN.matcher(icid).matches() ? Optional.of(icid) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}

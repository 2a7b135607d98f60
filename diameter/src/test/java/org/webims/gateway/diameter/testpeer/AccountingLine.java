package org.webims.gateway.diameter.testpeer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ACR as the Erlang CDF decoded and wrote it: tab-separated {@code key=value} fields (session, type, number, t,
 * user, context, subscription, method, role, node, calling, called, icid, cause, requested, answered, provider, media,
 * unknown: the AVPs its dictionary did not know).
 */
public record AccountingLine(Map<String, String> fields) {

    public static AccountingLine parse(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : line.split("\t")) {
            int equals = field.indexOf('=');
            if (equals > 0) {
                fields.put(field.substring(0, equals), field.substring(equals + 1));
            }
        }
        return new AccountingLine(Map.copyOf(fields));
    }

    public String get(String key) {
        return fields.getOrDefault(key, "");
    }

    public String session() {
        return get("session");
    }

    /** Accounting-Record-Type: 1 EVENT, 2 START, 3 INTERIM, 4 STOP (RFC 6733 §9.8.1). */
    public int type() {
        return Integer.parseInt(get("type"));
    }

    public int number() {
        return Integer.parseInt(get("number"));
    }

    /** Whether the T flag (potentially retransmitted) was set. */
    public boolean retransmitted() {
        return "true".equals(get("t"));
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}

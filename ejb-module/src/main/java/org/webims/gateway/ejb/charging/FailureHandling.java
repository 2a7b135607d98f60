package org.webims.gateway.ejb.charging;

import java.util.Locale;

/** RFC 4006 §8.14 Credit-Control-Failure-Handling: what happens when the OCS cannot be reached (§5.7). */
public enum FailureHandling {
    /** Service only while the OCS answers: no failover on Tx expiry, the session ends. */
    TERMINATE(0),
    /** Fail over to the alternative OCS; if that fails too, the service goes on without credit control. */
    CONTINUE(1),
    /** Fail over to the alternative OCS; if that fails too, the session ends. */
    RETRY_AND_TERMINATE(2);

    public final int code;

    FailureHandling(int code) {
        this.code = code;
    }

    public boolean failsOver() {
        return this != TERMINATE;
    }

    public static FailureHandling of(long code) {
        for (FailureHandling h : values()) {
            if (h.code == code) {
                return h;
            }
        }
        return null;
    }

    static FailureHandling parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.charging.ro.failure-handling must be TERMINATE, CONTINUE or "
                    + "RETRY_AND_TERMINATE, not '" + value + "'");
        }
    }
}

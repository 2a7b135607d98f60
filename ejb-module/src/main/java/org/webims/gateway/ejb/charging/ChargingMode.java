package org.webims.gateway.ejb.charging;

import java.util.Locale;

/** {@code gateway.charging.mode}: which charging the gateway does (TS 32.240 §4: offline, online, or both). */
public enum ChargingMode {
    NONE, OFFLINE, ONLINE, BOTH;

    public boolean offline() {
        return this == OFFLINE || this == BOTH;
    }

    public boolean online() {
        return this == ONLINE || this == BOTH;
    }

    static ChargingMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.charging.mode must be none, offline, online or both, not '"
                    + value + "'");
        }
    }
}

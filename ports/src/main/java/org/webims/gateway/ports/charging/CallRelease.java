package org.webims.gateway.ports.charging;

/**
 * How online charging ends a call it may no longer let run (the final units used, the credit refused or the charging
 * system unreachable mid-call): call control releases both legs with BYE and a Reason saying why. Called from any
 * thread; returns at once.
 */
@FunctionalInterface
public interface CallRelease {
    void release(String why);

    /**
     * The call's final units run out in {@code left} (TS 22.228 §11.2): the WebRTC user is warned by a tone only they
     * hear; the call goes on until the release. Nothing by default.
     */
    default void warnFinalUnits(java.time.Duration left) {
    }
}

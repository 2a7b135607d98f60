package org.webims.gateway.ports.charging;

/**
 * How online charging ends a call it may no longer let run (the final units used, the credit refused or the charging
 * system unreachable mid-call): call control releases both legs with BYE and a Reason saying why. Called from any
 * thread; returns at once.
 */
@FunctionalInterface
public interface CallRelease {
    void release(String why);
}

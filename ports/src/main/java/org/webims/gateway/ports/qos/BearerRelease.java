package org.webims.gateway.ports.qos;

/**
 * How the PCRF's word ends a call (TS 29.214 §4.4.4 Abort-Session-Request, §4.4.6.5 loss of bearer): call control
 * releases both legs with BYE and a Reason. Called from any thread (a Diameter event loop): returns at once.
 */
@FunctionalInterface
public interface BearerRelease {
    void release(String why);
}

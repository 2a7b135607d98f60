package org.webims.gateway.sip.call;

/** Seen from the WebRTC IMS client (TS 24.229 terms). */
public enum CallDirection {
    /** The WebRTC client called out toward the IMS core. */
    ORIGINATING,
    /** The IMS core called the WebRTC client. */
    TERMINATING
}

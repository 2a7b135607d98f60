package org.webims.gateway.ports.call;

/** TS 24.229: originating calls come from the WebRTC client, terminating calls from the IMS core toward it. */
public enum CallDirection {
    ORIGINATING,
    TERMINATING
}

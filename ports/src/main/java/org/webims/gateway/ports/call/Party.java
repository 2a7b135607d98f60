package org.webims.gateway.ports.call;

/** Who did something to a call: the WebRTC client, the IMS side, or the gateway itself. */
public enum Party {
    WEBRTC, IMS, GATEWAY;

    public String label() {
        return switch (this) {
            case WEBRTC -> "WebRTC";
            case IMS -> "IMS";
            case GATEWAY -> "gateway";
        };
    }
}

package org.webims.gateway.sip.media;

/**
 * The two kinds of endpoint the eIMS-AGW joins, each with the media profile it needs (TS 23.228 Annex U.2.2;
 * TS 24.371 for the WebRTC client, TS 24.229 for the IMS access).
 */
public enum Side {
    /**
     * The browser: WebRTC media as RFC 8834/8827 require: {@code UDP/TLS/RTP/SAVPF}, ICE (RFC 8445), DTLS-SRTP
     * keying (RFC 5763/5764) with only {@code a=setup:active} or {@code passive} in answers (RFC 5763 §5), RTP and
     * RTCP multiplexed (RFC 5761), and no SDES ({@code a=crypto}), which RFC 8827 §6.5 forbids.
     */
    WEBRTC,
    /**
     * The IMS core and its phones: plain {@code RTP/AVP} (RFC 3551) without ICE or DTLS, RTCP on its own port, and
     * no browser-only attributes (header extensions), with the gateway as the SDP origin and connection address.
     */
    IMS;

    public Side opposite() {
        return this == WEBRTC ? IMS : WEBRTC;
    }
}

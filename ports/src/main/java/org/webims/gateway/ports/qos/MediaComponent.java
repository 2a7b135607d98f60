package org.webims.gateway.ports.qos;

/**
 * One media stream of the WebRTC leg as the PCRF needs it (TS 29.214 §5.3.7, Media-Component-Description): its
 * m-line's number, kind, the client's and the gateway's transport addresses (the media flows between the WebRTC
 * client and the eIMS-AGW), whether RTP and RTCP share a port (RFC 5761), which way media may flow from the client's
 * point of view, the bandwidth each way and the SDP lines it came from (Codec-Data).
 *
 * @param number        the m-line's position, from 1 (TS 29.214 §5.3.9 Media-Component-Number)
 * @param kind          the SDP media kind: audio, video, application, text, message
 * @param client        where the client sends from and receives on; address null when not known yet
 * @param gateway       the eIMS-AGW's side toward the client; address null when not known yet
 * @param rtcpMux       RTP and RTCP on one port
 * @param direction     the client's direction (its own SDP's attribute)
 * @param uplinkBps     the most the client may send, bits per second
 * @param downlinkBps   the most the client may receive, bits per second
 * @param clientLines   the client's m-line and its attribute lines, or null
 * @param gatewayLines  the gateway's m-line and its attribute lines toward the client, or null
 * @param clientOffered whether the client's description was the offer (else the answer)
 */
public record MediaComponent(int number, String kind, Endpoint client, Endpoint gateway, boolean rtcpMux,
        Direction direction, long uplinkBps, long downlinkBps, String clientLines, String gatewayLines,
        boolean clientOffered) {

    /** An IP address and port; the address null when unknown ("any" in a flow description). */
    public record Endpoint(String address, int port) {
        public static final Endpoint UNKNOWN = new Endpoint(null, 0);
    }

    /** RFC 3264 §5.1's directions, as the client's SDP says them; REMOVED for a stream at port 0. */
    public enum Direction { SENDRECV, SENDONLY, RECVONLY, INACTIVE, REMOVED }
}

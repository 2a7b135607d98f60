package org.webims.gateway.sip.runtime;

import java.time.Duration;
import org.webims.gateway.sip.liveness.CoreKeepalive;

/**
 * The SIP side's configuration, built once from MicroProfile Config by the module that hosts the runtime (keys in
 * the README).
 *
 * @param imsDomain home network domain ({@code gateway.ims.domain})
 * @param imsProxy next hop toward the IMS core, a SIP URI ({@code gateway.ims.proxy})
 * @param sipHost address of our Mw listening points ({@code gateway.sip.host})
 * @param sipPort port of our Mw UDP and TCP listening points ({@code gateway.sip.port})
 * @param wsPort port the web container serves ws:// on, named in Via toward clients ({@code gateway.ws.port})
 * @param wssPort port the web container serves wss:// on ({@code gateway.wss.port})
 * @param maxMessageBytes largest SIP message accepted on a WebSocket ({@code gateway.ws.max-message-bytes})
 * @param pingInterval WebSocket ping period; a flow silent for two periods is closed
 *     ({@code gateway.ws.ping-interval-seconds})
 * @param expirySweep how often expired registrations are removed ({@code gateway.registration.sweep-seconds})
 * @param mediaNg the rtpengine ng control address, host:port ({@code gateway.media.ng})
 * @param mediaTimeout how long one ng command may take before it is retried ({@code gateway.media.timeout-ms})
 * @param mediaAttempts transmissions of one ng command before the call fails with 503
 *     ({@code gateway.media.attempts})
 * @param mediaMaxInFlight ng commands sent and unanswered at most; the rest wait, calls in progress first
 *     ({@code gateway.media.max-in-flight})
 * @param mediaMaxWaitingNew offers of new calls waiting for rtpengine at most; beyond, new calls get 503 with
 *     Retry-After at once ({@code gateway.media.max-waiting-offers})
 * @param mediaMaxQueueDelay how long a command may have waited for rtpengine before new calls get 503 with
 *     Retry-After at once ({@code gateway.media.max-queue-delay-ms})
 * @param emergencyNumbers dial strings refused as emergency ({@code gateway.emergency.numbers})
 * @param t1 RFC 3261 T1, the base of the transaction timers: non-INVITE and INVITE client transactions give up
 *     after 64*T1, and a 2xx we sent is given up on (the call released) when not ACKed within 64*T1
 *     ({@code gateway.sip.t1-ms})
 * @param imsCodecs codecs offered toward the core besides the client's, transcoded by rtpengine
 *     ({@code gateway.media.ims-codecs})
 * @param mediaAnchoring whether calls' media is anchored on rtpengine; when false SDP passes through unchanged and
 *     rtpengine is never contacted ({@code gateway.media.anchoring})
 * @param trustedPeers the core nodes SIP is taken from on the core side, addresses and CIDR ranges; blank for any
 *     host ({@code gateway.ims.trusted-peers})
 * @param maxCallsPerFlow simultaneous calls one WebSocket connection may place; more are refused with 403
 *     ({@code gateway.calls.max-per-connection})
 * @param sdpLimits what one SDP offer may ask of the media gateway; beyond it 488 ({@code gateway.media.max-*})
 * @param originatingLiteralTargets Request-URI hosts given by IP address or with a port that clients may still
 *     originate to: {@code host}, {@code host:port}, {@code host:from-to}, comma-separated
 *     ({@code gateway.originating.literal-targets})
 * @param webSocketLimits what one client may hold of the WebSocket side (message buffer, connections per address,
 *     time to register)
 * @param coreKeepalive how the IMS core's liveness is watched ({@code gateway.ims.keepalive-seconds},
 *     {@code gateway.ims.keepalive-failures})
 * @param maxRegistrationsPerAor bindings one public identity may hold at the IMS core through this gateway at once
 *     (stale ones of closed connections included, until they expire there) ({@code gateway.registration.max-per-aor})
 * @param authThrottle limits on failed authentications per source address and private identity
 *     ({@code gateway.auth.*})
 * @param tnaFlag the {@code integrity-protected} value the core takes as "the P-CSCF authenticated this user"
 *     (TS 33.203 Annex U trusted node authentication; {@code gateway.waf.tna-flag})
 * @param coreMaxPending requests sent to the IMS core and not answered at all yet (not even 100 Trying) beyond which new REGISTERs and
 *     INVITEs of clients get 503 with Retry-After (0: no bound; {@code gateway.ims.max-pending})
 * @param workMaxQueueDelay how long SIP work may stand waiting for a thread before requests that start something new
 *     get 503 with Retry-After at the door (zero: never; {@code gateway.sip.max-queue-delay-ms})
 * @param t4 RFC 3261 T4, how long a message may remain in the network: a non-INVITE client transaction over UDP
 *     lingers this long after its final response to absorb retransmissions of it (Timer K, §17.1.2.2)
 *     ({@code gateway.sip.t4-ms})
 * @param coreUdpLimit which requests toward the core may go over UDP, from the path MTU the operator knows: one within
 *     200 bytes of it (over 1300 bytes when unknown) goes over TCP (RFC 3261 §18.1.1; {@code gateway.ims.path-mtu})
 */
public record SipSettings(
        String imsDomain,
        String imsProxy,
        String sipHost,
        int sipPort,
        int wsPort,
        int wssPort,
        int maxMessageBytes,
        Duration pingInterval,
        Duration expirySweep,
        String mediaNg,
        Duration mediaTimeout,
        int mediaAttempts,
        int mediaMaxInFlight,
        int mediaMaxWaitingNew,
        Duration mediaMaxQueueDelay,
        String emergencyNumbers,
        Duration t1,
        java.util.List<String> imsCodecs,
        boolean mediaAnchoring,
        String trustedPeers,
        int maxCallsPerFlow,
        org.webims.gateway.sip.call.SdpLimits sdpLimits,
        String originatingLiteralTargets,
        WebSocketLimits webSocketLimits,
        CoreKeepalive coreKeepalive,
        int maxRegistrationsPerAor,
        org.webims.gateway.sip.throttle.AuthThrottleSettings authThrottle,
        String tnaFlag,
        int coreMaxPending,
        Duration workMaxQueueDelay,
        Duration t4,
        org.webims.gateway.sip.signalling.UdpSizeLimit coreUdpLimit) {}

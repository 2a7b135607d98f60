package org.webims.gateway.sip.runtime;

import java.time.Duration;

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
        Duration expirySweep) {}

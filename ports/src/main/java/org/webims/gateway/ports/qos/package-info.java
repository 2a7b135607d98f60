/**
 * What call control asks of QoS (TS 22.228 §11.2, TS 23.228 Annex U): the gateway as the AF authorises the WebRTC
 * leg's media at the PCRF (Rx, TS 29.214) for clients whose access network supports QoS, and releases the call when
 * the network reports the bearer lost.
 */
package org.webims.gateway.ports.qos;

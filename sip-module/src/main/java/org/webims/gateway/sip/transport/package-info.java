/**
 * Adapters between transports and the JAIN-SIP transaction layer: WebSocket connections as a "WS"/"WSS" transport
 * plugged in through JAIN-SIP's MessageProcessorFactory SPI, the router that sends requests down a chosen flow, and
 * the bridge of the stack's logging to the server's, the Mw port's datagram reader and the UDP sockets' buffer size
 * (with the check of what the kernel granted). These classes are loaded by JAIN-SIP by name, so this jar
 * lives in the EAR's lib/ beside JAIN-SIP.
 */
package org.webims.gateway.sip.transport;

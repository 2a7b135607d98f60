/**
 * Whether the IMS core answers (RFC 3261 §11 OPTIONS keepalive toward the next hop, and the outcome of the traffic
 * sent to it): the liveness state machine and its settings, plain Java without SIP types. The edge adapter
 * ({@code edge.CoreWatch}) probes, feeds it the evidence and acts on its changes.
 */
package org.webims.gateway.sip.liveness;

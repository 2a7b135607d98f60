/**
 * What call control asks before it admits a request (TS 22.228 §11.2): the effective policy of a subscriber using a
 * client from an access network, layer by layer, and the operator's dial plan for destinations.
 */
package org.webims.gateway.ports.policy;

/**
 * Subscription policy and charging records (later issues: services by operator policy, subscription, client
 * provider and capabilities; online and offline charging). Nothing here imports SIP, WebSocket or Diameter types.
 */
package org.webims.gateway.ejb;

/**
 * The ports of call control: plain Java, no SIP and no Jakarta EE types. {@code policy} is what call control asks
 * before it admits a registration, a call or a message; {@code call} is what it tells about each call (the events
 * charging listens to). sip-module calls them; ejb-module implements the policy with JPA.
 */
package org.webims.gateway.ports;

/**
 * The SIP tools the edge proxy ({@code edge}) and the B2BUA ({@code b2bua}) share: the provider and factories, our
 * addresses, the next hop toward the core or a client's flow, and the answers we build. {@code edge} dispatches to
 * {@code b2bua}; {@code b2bua} never imports {@code edge}.
 */
package org.webims.gateway.sip.signalling;

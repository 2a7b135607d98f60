/**
 * The Ro adapter (TS 32.299 §6.4, RFC 4006): credit-control requests encoded as CCRs, answers read from CCAs, and the
 * peer group of the OCSs. With {@code charging.rf}, the only charging code that sees Diameter types.
 */
package org.webims.gateway.ejb.charging.ro;

/**
 * The Rf adapter (TS 32.299 §6.1): accounting records encoded as ACRs, and the peer group that carries them. The only
 * place of the charging code that sees Diameter types.
 */
package org.webims.gateway.ejb.charging.rf;

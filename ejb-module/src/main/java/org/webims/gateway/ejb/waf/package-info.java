/**
 * The WebRTC Authorisation Function (TS 23.228 Annex U, TS 24.371 §6.1, TS 33.203 Annex X): provider credentials,
 * the signing keys the eP-CSCF trusts (published as a JWK set), the guest pools of third-party providers, and the
 * short-lived tokens it issues (RFC 6749, RFC 9068 JWT access tokens).
 */
package org.webims.gateway.ejb.waf;

/** What the eP-CSCF asks the WAF about an access token a client presents (TS 24.371 §6.1, RFC 8898). */
package org.webims.gateway.ports.identity;

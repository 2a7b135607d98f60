/** The WAF's HTTP side: the OAuth 2.0 token endpoint and the JWK set (TS 24.371 §6.1, RFC 6749, RFC 7517). */
package org.webims.gateway.web.waf;

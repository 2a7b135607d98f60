/** The admin API of the WAF: its signing keys. */
package org.webims.gateway.web.api.waf;

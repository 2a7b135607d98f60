/** MicroProfile Health checks, served by the server at {@code http://127.0.0.1:9990/health}. */
package org.webims.gateway.web.health;

/** The gateway's configuration keys, read once from MicroProfile Config into typed settings. */
package org.webims.gateway.web.config;

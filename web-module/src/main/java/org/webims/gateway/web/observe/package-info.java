/**
 * The gateway's meters in the server's Micrometer subsystem ({@code /metrics} in Prometheus text, on the management
 * interface). They read the SIP runtime's counts when scraped; nothing here is on a SIP or WebSocket thread.
 */
package org.webims.gateway.web.observe;

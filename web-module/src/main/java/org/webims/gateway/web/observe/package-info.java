/**
 * What the server's observability subsystems show of the gateway: its readiness (MicroProfile Health,
 * {@code /health/ready}) and its meters (Micrometer, {@code /metrics} in Prometheus text), both on the management
 * interface. They read the SIP runtime's counts; nothing here is on a SIP or WebSocket thread.
 */
package org.webims.gateway.web.observe;

/**
 * The web module: the WWSF (pages), the WebSocket endpoint that carries SIP (RFC 7118) into the SIP module, the
 * admin REST API. It hosts the SIP runtime's lifecycle and owns no SIP logic.
 */
package org.webims.gateway.web;

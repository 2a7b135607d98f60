/** RFC 5626 flows: one per WebSocket connection, named toward the IMS core by a tamper-proof flow token. */
package org.webims.gateway.sip.flow;

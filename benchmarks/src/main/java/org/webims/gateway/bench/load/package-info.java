/**
 * The load generator: thousands of asynchronous SIP-over-WebSocket user agents (RFC 7118) in one process on a few
 * threads, open-loop steps at a fixed rate, and what they measure. JDK only ({@code java.net.http}); no SIP stack: the
 * messages are written and read as text, like a browser's JsSIP does.
 */
package org.webims.gateway.bench.load;

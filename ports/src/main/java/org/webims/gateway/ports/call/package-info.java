/** What call control tells the rest of the gateway about each call (where charging attaches). */
package org.webims.gateway.ports.call;

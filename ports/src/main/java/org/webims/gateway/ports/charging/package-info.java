/** What call control asks online charging (TS 32.260 §5.3, RFC 4006): credit before a session, a debit per MESSAGE. */
package org.webims.gateway.ports.charging;

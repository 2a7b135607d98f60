/** Lifecycle of the SIP stack and the threads the SIP side runs on. */
package org.webims.gateway.sip.runtime;

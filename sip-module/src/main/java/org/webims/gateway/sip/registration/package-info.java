/**
 * The eP-CSCF's view of registrations (TS 24.229 §5.2.2, RFC 5626, RFC 3327, RFC 3608): which public identities are
 * registered over which flow, until when, and the Service-Route to use for their originating requests. Plain Java.
 */
package org.webims.gateway.sip.registration;

/**
 * The eP-CSCF's SIP procedures (TS 24.229 §5.2, TS 24.371): requests from WebRTC IMS clients toward the IMS core
 * and from the core toward the clients' flows, and the relaying of their responses. JAIN-SIP types live here and in
 * {@code transport}; the registration and flow state they update is plain Java.
 */
package org.webims.gateway.sip.edge;

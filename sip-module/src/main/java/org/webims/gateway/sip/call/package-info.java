/**
 * Calls through the B2BUA (TS 24.229 §5.2.7, TS 24.371 §7): plain-Java parts (states, emergency detection,
 * codec summaries, the registry of live calls) and the JAIN-SIP call and leg objects that relay between a WebRTC
 * leg and an IMS leg, with media anchored on the eIMS-AGW.
 */
package org.webims.gateway.sip.call;

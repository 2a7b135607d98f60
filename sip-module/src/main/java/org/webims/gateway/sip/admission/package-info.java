/**
 * Whether a session may be set up and with what (TS 22.228 §11.2): the rules that turn an effective policy (module
 * {@code ports}), the destination and the media offered into a refusal or an admission with the streams to decline,
 * and the counts of simultaneous calls. Plain Java: no SIP types; b2bua maps the verdicts to SIP.
 */
package org.webims.gateway.sip.admission;

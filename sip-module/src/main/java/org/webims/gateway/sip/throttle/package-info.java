/**
 * Plain-Java limits on what an attacker may try: counters of failures per key (a source address, a private
 * identity) in a time window, with a penalty once a key has failed too often. No SIP types.
 */
package org.webims.gateway.sip.throttle;

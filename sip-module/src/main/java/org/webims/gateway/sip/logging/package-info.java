/**
 * Logging that an attacker cannot turn into disk use: per-cause rate limits for lines caused by input from outside.
 */
package org.webims.gateway.sip.logging;

/**
 * Black-box tests of the softphone the gateway serves at {@code /} (the WWSF, TS 23.228 Annex U): its real page in
 * headless Chromium ({@link org.webims.gateway.it.wwsf.PageDriver}, {@link org.webims.gateway.it.wwsf.WebPage}, the
 * page object {@link org.webims.gateway.it.wwsf.Softphone}), against the gateway, Kamailio, rtpengine and SIPp
 * phones ({@link org.webims.gateway.it.wwsf.PhoneScenarios}, {@link org.webims.gateway.it.wwsf.RtpEchoPeer}).
 */
package org.webims.gateway.it.wwsf;

/**
 * Real WebRTC IMS clients for black-box tests: headless Chromium pages running JsSIP against the gateway, driven
 * from JUnit through {@link org.webims.gateway.it.browser.Browser} and {@link org.webims.gateway.it.browser.Page}.
 * The pages live in the Node project {@code arquillian-tests/src/test/browser} (harness.js, driver.mjs); this
 * package speaks the driver's line-oriented JSON protocol with JDK classes only ({@link
 * org.webims.gateway.it.browser.Json}, {@link org.webims.gateway.it.browser.JsonLike}).
 */
package org.webims.gateway.it.browser;

/** The WWSF: the softphone page's headers, and what the page needs to offer operator sign-in. */
package org.webims.gateway.web.wwsf;

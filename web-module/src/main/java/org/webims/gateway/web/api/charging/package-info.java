/** The admin API of charging: the offline charging records and the state of the Rf peers. */
package org.webims.gateway.web.api.charging;

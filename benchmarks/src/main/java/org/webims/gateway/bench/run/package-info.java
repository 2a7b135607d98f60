/**
 * One benchmark run: the peers (demo IMS core, rtpengine, SIPp UAS), the two systems under test (the gateway on
 * WildFly, Kamailio as edge proxy), the plan of phases, the readings from {@code /proc}, {@code jcmd} and
 * {@code kamcmd}, and the JFR summary. Every process started here is stopped here.
 */
package org.webims.gateway.bench.run;

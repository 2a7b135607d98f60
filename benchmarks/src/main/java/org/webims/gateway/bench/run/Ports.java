package org.webims.gateway.bench.run;

/**
 * Every port of a benchmark run, all on 127.0.0.1: a family of its own (WildFly port offset 200) so a run never
 * meets the test suite (8180, 5160, 5170, 2323, Diameter 3970-3974, RTP 31000-31999) or {@code bin/gateway run} (8080,
 * 5060, 5070, 2223, Diameter 3868-3870, RTP 30000-30999).
 */
final class Ports {
    static final String HOST = "127.0.0.1";
    /** WildFly socket binding port offset: http 8280, https 8643, management 10190. */
    static final int WILDFLY_OFFSET = 200;
    static final int GATEWAY_HTTP = 8080 + WILDFLY_OFFSET;
    static final int GATEWAY_HTTPS = 8443 + WILDFLY_OFFSET;
    static final int GATEWAY_MANAGEMENT = 9990 + WILDFLY_OFFSET;
    /** The gateway's Mw listening point (UDP and TCP). */
    static final int GATEWAY_SIP = 5260;
    /** The demo IMS core (registrar), UDP and TCP. */
    static final int CORE = 5270;
    /** The Kamailio edge: SIP toward the core (UDP) and SIP over WebSocket. */
    static final int EDGE_SIP = 5280;
    static final int EDGE_WS = 8290;
    /** The SIPp UAS and its control socket. */
    static final int UAS = 5290;
    static final int UAS_CONTROL = 8799;
    /** rtpengine ng control and its RTP range (below the ephemeral range, apart from the tests' and the run's). */
    static final int NG = 2423;
    static final int RTP_MIN = 16000;
    static final int RTP_MAX = 27999;

    /**
     * The test CDF (Rf) and OCS (Ro) of the run with charging on: apart from {@code bin/gateway run}'s 3868-3870 and
     * the tests' 3970-3974.
     */
    static final int CDF = 3968;
    static final int OCS = 3969;

    /** The TCP ports a run listens on; checked free before anything starts. */
    static final int[] TCP = {GATEWAY_HTTP, GATEWAY_HTTPS, GATEWAY_MANAGEMENT, GATEWAY_SIP, CORE, EDGE_WS, CDF, OCS};
    /** The UDP ports a run binds. */
    static final int[] UDP = {GATEWAY_SIP, CORE, EDGE_SIP, UAS, UAS_CONTROL, NG};

    private Ports() {}
}

package org.webims.gateway.it;

/**
 * The ports of the test bed, all on 127.0.0.1. They are offset from the gateway's defaults (arquillian.xml starts
 * WildFly with port offset 100 and the matching {@code gateway.*} keys) so that the tests run beside a gateway
 * started with {@code bin/gateway run} on the same machine.
 */
public final class TestBed {
    /** WildFly http (ws://) and https (wss://): 8080 and 8443 plus the offset. */
    public static final int HTTP_PORT = 8180;
    public static final int HTTPS_PORT = 8543;
    /** The gateway's Mw listening point (UDP and TCP). */
    public static final int SIP_PORT = 5160;
    /** The demo IMS core (Kamailio). */
    public static final int CORE_PORT = 5170;
    /** rtpengine's ng control socket. */
    public static final int NG_PORT = 2323;
    /** WildFly's management interface (health, metrics, console): 9990 plus the offset. */
    public static final int MANAGEMENT_PORT = 10090;
    /** The page origin of the gateway itself. */
    public static final String ORIGIN = "http://127.0.0.1:" + HTTP_PORT;
    /** gateway.waf.token-seconds of the test server (arquillian.xml): short, so that a test sees a token expire. */
    public static final int WAF_TOKEN_SECONDS = 15;
    /** Where the demo core sends the shop's support line (+15550100): a SIPp phone the test starts. */
    public static final int SUPPORT_PORT = 5290;
    /** The demo third party's site (ShopServer) in the tests: the demo's 8099 plus the offset. */
    public static final int SHOP_PORT = 8199;
    /** The test server's Rf peers (arquillian.xml gateway.charging.rf.peers): the primary and secondary CDF. */
    public static final int CDF_PORT = 3970;
    public static final int CDF_SECONDARY_PORT = 3971;
    /** The test server's Ro peers (gateway.charging.ro.peers): the primary and secondary OCS; Tx is 1 s. */
    public static final int OCS_PORT = 3972;
    public static final int OCS_SECONDARY_PORT = 3973;
    /** The PCRF of the QoS tests (Rx; gateway.qos.rx.peers of the test server). */
    public static final int PCRF_PORT = 3974;
    public static final int TX_MS = 1000;

    /** The demo's support line (a SIPp scenario of deployment/ims-core), for {@code Sipp.scenario}. */
    public static String supportLine() {
        return java.nio.file.Path.of(System.getProperty("gateway.repo", ".."), "deployment", "ims-core",
                "support-line.xml").toAbsolutePath().normalize().toString();
    }

    private TestBed() {}
}

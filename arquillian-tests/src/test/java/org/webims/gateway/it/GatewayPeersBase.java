package org.webims.gateway.it;

import java.time.Duration;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.webims.gateway.it.peers.ImsCore;
import org.webims.gateway.it.support.AdminApi;

/**
 * What every black-box test class shares, whatever EAR it deploys: the tests running as clients of the gateway, and a fresh demo IMS core (Kamailio) for the class.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class GatewayPeersBase {
    protected static ImsCore core;
    protected final AdminApi api = new AdminApi();

    /**
     * The gateway probes the core every second from its deployment on, which comes first: it may have taken the core
     * as down (503 to every client request) until a probe is answered, so the tests start once it sees the core.
     */
    @BeforeAll
    static void startCore() throws Exception {
        // IMS_TRACE: Kamailio logs every request it gets, so that a test can show that nothing reached the core
        core = ImsCore.builder().port(TestBed.CORE_PORT).define("IMS_TRACE")
                .define("IMS_SUPPORT_URI=\"sip:support@127.0.0.1:" + TestBed.SUPPORT_PORT + "\"").start();
        new AdminApi().awaitCoreState("UP", Duration.ofSeconds(15));
    }

    @AfterAll
    static void stopCore() {
        if (core != null) {
            core.close();
            core = null;
        }
    }
}

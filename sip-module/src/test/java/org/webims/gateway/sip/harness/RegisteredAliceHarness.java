package org.webims.gateway.sip.harness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh gateway for each test, its fake IMS core, and alice connected and registered through it. */
abstract class RegisteredAliceHarness {
    protected GatewayUnderTest gateway;
    protected FakeCore core;
    protected WebRtcClient alice;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayUnderTest();
        core = gateway.core;
        alice = gateway.registered("alice");
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
    }
}

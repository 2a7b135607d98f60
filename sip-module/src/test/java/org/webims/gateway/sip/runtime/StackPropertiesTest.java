package org.webims.gateway.sip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.SipStackImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.transport.NoDelayNetworkLayer;

/** The JAIN-SIP stack as the gateway configures it (not started: no socket is opened). */
class StackPropertiesTest {
    private SipStackImpl stack;

    @BeforeEach
    void configure() throws Exception {
        stack = new SipStackImpl(SipRuntime.stackProperties());
    }

    @AfterEach
    void stop() {
        stack.stop();
    }

    @Test
    void theStackOpensItsTcpConnectionsWithNagleOff() {
        assertInstanceOf(NoDelayNetworkLayer.class, stack.getNetworkLayer());
    }

    @Test
    void finishedDialogsAndTransactionsLetGoOfTheirMessages() {
        assertEquals(ReleaseReferencesStrategy.Normal, stack.getReleaseReferencesStrategy());
    }
}

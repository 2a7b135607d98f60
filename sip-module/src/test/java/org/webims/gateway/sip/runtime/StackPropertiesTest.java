package org.webims.gateway.sip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.SipStackImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.transport.NoDelayNetworkLayer;
import org.webims.gateway.sip.transport.WheelSipTimer;

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
    void theStacksTimersRunOnTheWheel() {
        // the stack only logs a bad TIMER_CLASS_NAME and goes on without a timer: this is where a typo would show
        assertInstanceOf(WheelSipTimer.class, stack.getTimer());
        assertTrue(stack.getTimer().isStarted());
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

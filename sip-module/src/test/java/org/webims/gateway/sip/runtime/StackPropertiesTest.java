package org.webims.gateway.sip.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.SipStackImpl;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.transport.NoDelayNetworkLayer;

class StackPropertiesTest {
    @Test
    void theStackOpensItsTcpConnectionsWithNagleOff() throws Exception {
        SipStackImpl stack = new SipStackImpl(SipRuntime.stackProperties());
        try {
            assertInstanceOf(NoDelayNetworkLayer.class, stack.getNetworkLayer());
        } finally {
            stack.stop();
        }
    }

    @Test
    void finishedDialogsAndTransactionsLetGoOfTheirMessages() throws Exception {
        SipStackImpl stack = new SipStackImpl(SipRuntime.stackProperties());
        try {
            assertEquals(ReleaseReferencesStrategy.Normal, stack.getReleaseReferencesStrategy());
        } finally {
            stack.stop();
        }
    }
}

package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.core.net.DefaultNetworkLayer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Real sockets on 127.0.0.1: both ends of a SIP over TCP connection have Nagle's algorithm off. */
class NoDelayNetworkLayerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void theConnectionsItOpensAndAcceptsSendAtOnce() throws Exception {
        NoDelayNetworkLayer layer = new NoDelayNetworkLayer();
        bothEndsSendAtOnce(layer, port -> layer.createSocket(LOOPBACK, port, LOOPBACK), "bound to an address");
        bothEndsSendAtOnce(layer, port -> layer.createSocket(LOOPBACK, port), "unbound");
        // the overload the stack's IOHandler opens its connections with
        bothEndsSendAtOnce(layer, port -> layer.createSocket(LOOPBACK, port, LOOPBACK, 0), "bound to a port");
    }

    /** A way of opening a connection to a local port. */
    @FunctionalInterface
    private interface Opener {
        Socket open(int port) throws Exception;
    }

    private static void bothEndsSendAtOnce(NoDelayNetworkLayer layer, Opener opener, String how) throws Exception {
        try (ServerSocket server = layer.createServerSocket(0, 5, LOOPBACK);
                Socket opened = opener.open(server.getLocalPort());
                Socket accepted = server.accept()) {
            assertTrue(opened.getTcpNoDelay(), "a connection the stack opens, " + how);
            assertTrue(accepted.getTcpNoDelay(), "a connection the stack accepts");
        }
    }

    @Test
    void aSocketThatRefusesTheOptionIsStillHandedOn() throws Exception {
        Socket closed = new Socket();
        closed.close(); // setTcpNoDelay throws here, as on a reset connection on some systems
        assertSame(closed, NoDelayNetworkLayer.noDelay(closed), "the accept loop must not end over it");
    }

    @Test
    void theStacksOwnLayerLeavesNagleOn() throws Exception {
        // why this class exists: if JAIN-SIP ever sets TCP_NODELAY itself, this fails and the class can go
        try (ServerSocket server = DefaultNetworkLayer.SINGLETON.createServerSocket(0, 5, LOOPBACK);
                Socket opened = DefaultNetworkLayer.SINGLETON.createSocket(LOOPBACK, server.getLocalPort(), LOOPBACK);
                Socket accepted = server.accept()) {
            assertFalse(opened.getTcpNoDelay());
            assertFalse(accepted.getTcpNoDelay());
        }
    }
}

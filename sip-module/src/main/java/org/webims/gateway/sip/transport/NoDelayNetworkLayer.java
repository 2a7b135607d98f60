package org.webims.gateway.sip.transport;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.logging.Logger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * JAIN-SIP's sockets with Nagle's algorithm off on every SIP over TCP connection (RFC 896 would otherwise hold a
 * request back until the peer acknowledges the last one). Every call shares one connection to the core: with Nagle
 * on, an INVITE written while the previous call's ACK was still unacknowledged waited for the core's delayed ACK (up
 * to 40 ms on Linux), which made call set-up 20-30 ms slower than a proxy's at any rate from 25 calls/s up. The
 * stack's own {@link DefaultNetworkLayer} leaves TCP_NODELAY unset; this one sets it on the sockets it creates and
 * on those its server sockets accept, and otherwise does what the stack's does. It replaces the stack's choice of a
 * TLS network layer too: the gateway listens for SIP over TLS nowhere (TLS toward clients is the web container's).
 * JAIN-SIP creates it by name ({@code gov.nist.javax.sip.NETWORK_LAYER}) with its implicit constructor.
 */
public final class NoDelayNetworkLayer implements NetworkLayer {
    private static final Logger LOG = Logger.getLogger(NoDelayNetworkLayer.class.getName());
    private final NetworkLayer sockets = DefaultNetworkLayer.SINGLETON;

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new NoDelayServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return noDelay(sockets.createSocket(address, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return noDelay(sockets.createSocket(address, port, myAddress));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return noDelay(sockets.createSocket(address, port, myAddress, myPort));
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return sockets.createSSLServerSocket(port, backlog, bindAddress);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return noDelay(sockets.createSSLSocket(address, port));
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return noDelay(sockets.createSSLSocket(address, port, myAddress));
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return sockets.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress) throws SocketException {
        return sockets.createDatagramSocket(port, bindAddress);
    }

    @Override
    public void setSipStack(SipStackImpl stack) {
        sockets.setSipStack(stack);
    }

    /**
     * Nagle's algorithm off, or left on with a log line if the system refuses (a connection reset before this, on some
     * systems): only a delay, and an exception here would end the stack's accept loop for good.
     */
    static <S extends Socket> S noDelay(S socket) {
        try {
            socket.setTcpNoDelay(true);
        } catch (SocketException e) {
            LOG.fine(() -> "TCP_NODELAY not set on " + socket + ": " + e.getMessage());
        }
        return socket;
    }

    /** A server socket whose accepted connections have Nagle's algorithm off, as the ones we open. */
    private static final class NoDelayServerSocket extends ServerSocket {
        NoDelayServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
            super(port, backlog, bindAddress);
        }

        @Override
        public Socket accept() throws IOException {
            return noDelay(super.accept());
        }
    }
}

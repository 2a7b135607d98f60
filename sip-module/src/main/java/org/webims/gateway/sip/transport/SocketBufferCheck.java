package org.webims.gateway.sip.transport;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Says once, at a socket's start, when the kernel granted a UDP socket a smaller receive buffer than the gateway asked
 * for: Linux caps the request at {@code net.core.rmem_max} without an error, and the operator learns it only from
 * datagrams dropped under a burst (README, production advice).
 */
public final class SocketBufferCheck {
    /**
     * The send and receive buffers the gateway asks of the kernel for each of its UDP sockets, the Mw port and the
     * rtpengine ng socket: 4 MiB holds a burst of datagrams while the socket's thread catches up (README, production
     * advice 8).
     */
    public static final int UDP_BUFFER_BYTES = 4 * 1024 * 1024;

    private SocketBufferCheck() {
    }

    /** Warns on {@code log} when {@code granted} bytes (as the JDK reports them) are fewer than {@code asked}. */
    public static void receiveBuffer(Logger log, String socket, int asked, int granted) {
        if (granted < asked) {
            log.log(Level.WARNING, "The {0} got a receive buffer of {1} bytes of the {2} asked: raise"
                    + " net.core.rmem_max (and wmem_max) to {2}, or a burst that outruns its thread is dropped",
                    new Object[] {socket, Integer.toString(granted), Integer.toString(asked)});
        }
    }
}

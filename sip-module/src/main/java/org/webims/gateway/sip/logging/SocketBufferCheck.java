package org.webims.gateway.sip.logging;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Says once, at a socket's start, when the kernel granted a UDP socket a smaller receive buffer than the gateway asked
 * for: Linux caps the request at {@code net.core.rmem_max} without an error, and the operator learns it only from
 * datagrams dropped under a burst (README, production advice).
 */
public final class SocketBufferCheck {
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

package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import org.webims.gateway.sip.runtime.WorkQueueDelay;

/**
 * Gives JAIN-SIP a WebSocket message processor for the "WS" and "WSS" transports, whose connections are accepted by
 * the web container (same origin, TLS and login as the web app), its own socket processor for TCP, and for UDP the
 * stack's with a receive buffer kept instead of one allocated per datagram ({@link DatagramReceiver}).
 */
public final class GatewayMessageProcessorFactory implements MessageProcessorFactory {
    /** The stack's threads that parse and dispatch received UDP datagrams (its THREAD_POOL_SIZE). */
    public static final int STACK_THREADS = 4;
    private final MessageProcessorFactory sockets = new OIOMessageProcessorFactory();

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
            String transport) throws IOException {
        if (WebSocketMessageProcessor.handles(transport)) {
            return new WebSocketMessageProcessor(address, port, transport.toUpperCase(), stack);
        }
        if ("udp".equalsIgnoreCase(transport) && markUdp(stack)) {
            return new DatagramReceiver(address, stack, port, STACK_THREADS);
        }
        return sockets.createMessageProcessor(stack, address, port, transport);
    }

    /**
     * Has the wait of each datagram received on {@code udp} for the stack's threads told to {@code delay}; nothing when
     * the stack's own UDP processor is in use.
     */
    public static void measureReceiveQueue(javax.sip.ListeningPoint udp, WorkQueueDelay delay) {
        if (((gov.nist.javax.sip.ListeningPointImpl) udp).getMessageProcessor() instanceof DatagramReceiver receiver) {
            receiver.measureWith(delay);
        }
    }

    /**
     * What the stack's own factory does beside creating the processor: it marks the stack as having UDP, in a field
     * of its package. False (and the stack's own processor is used) if this JAIN-SIP has no such field.
     */
    private static boolean markUdp(SIPTransactionStack stack) {
        try {
            java.lang.reflect.Field udp = SIPTransactionStack.class.getDeclaredField("udpFlag");
            udp.setAccessible(true);
            udp.setBoolean(stack, true);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            java.util.logging.Logger.getLogger(GatewayMessageProcessorFactory.class.getName()).fine(
                    () -> "JAIN-SIP's own UDP processor is used: " + e);
            return false;
        }
    }
}

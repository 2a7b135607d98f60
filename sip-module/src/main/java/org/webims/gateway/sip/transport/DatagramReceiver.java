package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JAIN-SIP's UDP listening point with one change: each datagram is received into one buffer kept for the life of the
 * socket and copied out at its own length, where the stack allocated a fresh array of the largest message size
 * (64 KiB) for every datagram. At a thousand registrations a second that was a tenth of a gigabyte of garbage a second
 * and a good part of the gateway's GC time (issue 14). Everything else (the socket, its buffers, the stack's queue of
 * received datagrams and its worker threads) is the stack's own.
 */
final class DatagramReceiver extends UDPMessageProcessor {
    private static final Logger LOG = Logger.getLogger(DatagramReceiver.class.getName());

    private final int largest;
    private final int workers;

    /** @param workers the stack's threads that parse and dispatch received datagrams (its THREAD_POOL_SIZE) */
    DatagramReceiver(InetAddress address, SIPTransactionStack stack, int port, int workers) throws IOException {
        super(address, stack, port);
        this.workers = workers;
        // as the stack's processor: the largest datagram, or the stack's message cap when smaller
        int datagram = gov.nist.javax.sip.SipStackImpl.MAX_DATAGRAM_SIZE;
        int cap = stack.getMaxMessageSize();
        this.largest = cap > 0 && cap < datagram ? cap : datagram;
    }

    @Override
    public void run() {
        messageChannels = new java.util.LinkedList<>();
        String stackName = ((gov.nist.javax.sip.SipStackImpl) getSIPStack()).getStackName();
        for (int i = 0; i < workers; i++) { // as the stack's run() does before it receives
            messageChannels.add(new Worker(getSIPStack(), this, stackName + "-UDPMessageChannelThread-" + i));
        }
        byte[] buffer = new byte[largest];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (isRunning) {
            packet.setData(buffer, 0, buffer.length);
            try {
                sock.receive(packet);
            } catch (SocketException e) {
                if (!isRunning || sock.isClosed()) {
                    return; // stop() closed the socket (or it is gone: nothing more will come)
                }
                report(e);
                continue;
            } catch (IOException | RuntimeException e) { // as the stack's loop: one bad datagram ends nothing
                report(e);
                continue;
            }
            reported = 0;
            byte[] datagram = Arrays.copyOf(buffer, packet.getLength());
            DatagramPacket own = new DatagramPacket(datagram, datagram.length, packet.getSocketAddress());
            // the workers, the stack's own channels, parse and dispatch it
            messageQueue.offer(new DatagramQueuedMessageDispatch(own, System.currentTimeMillis()));
        }
    }

    private int reported;

    /** The first ten failures in a row are logged, as the stack's loop does; a datagram received starts over. */
    private void report(Exception e) {
        if (reported < 10) {
            reported++;
            LOG.log(Level.WARNING, "UDP receive on port {0} failed{1}: {2}", new Object[] {getPort(),
                reported == 10 ? " (further failures not logged until a datagram is received)" : "", e.toString()});
        }
    }

    /** One of the stack's UDP channels taking datagrams from the queue, on a thread its constructor starts. */
    private static final class Worker extends gov.nist.javax.sip.stack.UDPMessageChannel {
        Worker(SIPTransactionStack stack, UDPMessageProcessor processor, String threadName) {
            super(stack, processor, threadName);
        }
    }
}

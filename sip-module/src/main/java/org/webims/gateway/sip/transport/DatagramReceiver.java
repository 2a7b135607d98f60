package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.webims.gateway.sip.runtime.WorkQueueDelay;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JAIN-SIP's UDP listening point with two changes. Each datagram is received into one buffer kept for the life of the
 * socket and copied out at its own length, where the stack allocated a fresh array of the largest message size
 * (64 KiB) for every datagram: at a thousand registrations a second that was a tenth of a gigabyte of garbage a second
 * and a good part of the gateway's GC time (issue 14). And the queue between this thread and the stack's workers is
 * bounded ({@link #QUEUE_CAPACITY} datagrams; beyond, a datagram is dropped and counted, as the kernel drops one when
 * the socket's buffer is full: UDP senders retransmit; one older than the stack's 8 s age limit is dropped when
 * taken, as its auditor did) and timed: how long each datagram waited for a worker goes to a
 * {@link WorkQueueDelay}, which the door reads as it reads the SIP workers' (the stack's queue was unbounded, with only
 * that age limit, so past capacity the core's answers could wait seconds unseen while the gateway's client
 * transactions retransmitted the requests they answered). The socket, its buffers and the worker threads are the
 * stack's own.
 */
final class DatagramReceiver extends UDPMessageProcessor {
    private static final Logger LOG = Logger.getLogger(DatagramReceiver.class.getName());
    /** Datagrams waiting for the stack's workers at most: seconds of traffic, far beyond what the door lets build. */
    static final int QUEUE_CAPACITY = 20_000;

    private final int largest;
    private final int workers;
    private final ReceivedDatagrams received = new ReceivedDatagrams(QUEUE_CAPACITY);
    private final org.webims.gateway.sip.logging.PeriodicCountLog drops =
            new org.webims.gateway.sip.logging.PeriodicCountLog(LOG, java.time.Duration.ofSeconds(10));

    /** @param workers the stack's threads that parse and dispatch received datagrams (its THREAD_POOL_SIZE) */
    DatagramReceiver(InetAddress address, SIPTransactionStack stack, int port, int workers) throws IOException {
        super(address, stack, port);
        this.workers = workers;
        // as the stack's processor: the largest datagram, or the stack's message cap when smaller
        int datagram = gov.nist.javax.sip.SipStackImpl.MAX_DATAGRAM_SIZE;
        int cap = stack.getMaxMessageSize();
        this.largest = cap > 0 && cap < datagram ? cap : datagram;
        // the stack's workers read this field at each datagram (its congestion auditor keeps the first queue, empty)
        this.messageQueue = received;
        SocketBufferCheck.receiveBuffer(LOG, "Mw UDP port " + port, stack.getReceiveUdpBufferSize(),
                sock.getReceiveBufferSize());
    }

    /** Has the wait of each received datagram for a worker told to {@code delay} from now on. */
    void measureWith(WorkQueueDelay delay) {
        received.delay = delay;
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
            if (!received.queue(own)) {
                drops.record(count -> count + " datagram(s) received on UDP port " + getPort() + " dropped since the"
                        + " last such line: " + QUEUE_CAPACITY + " wait for the SIP stack's threads already (their"
                        + " senders retransmit)");
            }
        }
    }

    /**
     * The bounded queue of received datagrams, each stamped when queued; {@code take} and {@code poll} (the stack's
     * workers) tell the delay how long it waited, as do {@code poll()}, {@code drainTo} and {@code clear} (unused by
     * the stack; removal by element or iterator is not accounted: nothing here uses it), so that its count of what
     * waits never drifts (a count left over would read as a stalled queue and refuse every new request).
     */
    static final class ReceivedDatagrams extends LinkedBlockingQueue<DatagramQueuedMessageDispatch> {
        private static final long serialVersionUID = 1L;
        transient volatile WorkQueueDelay delay = WorkQueueDelay.off();

        ReceivedDatagrams(int capacity) {
            super(capacity);
        }

        /** Queues a datagram; false when the queue is full (it is dropped). */
        boolean queue(DatagramPacket packet) {
            WorkQueueDelay measured = delay;
            Stamped stamped = new Stamped(packet, measured, measured.submitted());
            if (offer(stamped)) {
                return true;
            }
            measured.withdrawn();
            return false;
        }

        @Override
        public DatagramQueuedMessageDispatch take() throws InterruptedException {
            while (true) {
                DatagramQueuedMessageDispatch next = started(super.take());
                if (fresh(next)) {
                    return next;
                }
            }
        }

        @Override
        public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) throws InterruptedException {
            while (true) {
                DatagramQueuedMessageDispatch next = started(super.poll(timeout, unit));
                if (next == null || fresh(next)) {
                    return next;
                }
            }
        }

        /** Not used by the stack (it takes and polls with a timeout), but accounted as they are if it ever is. */
        @Override
        public DatagramQueuedMessageDispatch poll() {
            return started(super.poll());
        }

        @Override
        public int drainTo(java.util.Collection<? super DatagramQueuedMessageDispatch> into, int max) {
            if (into == this) {
                throw new IllegalArgumentException("cannot drain a queue into itself"); // as BlockingQueue says
            }
            java.util.List<DatagramQueuedMessageDispatch> drained = new java.util.ArrayList<>();
            int count = super.drainTo(drained, max);
            drained.forEach(ReceivedDatagrams::started); // each has left the queue, whatever the target does next
            into.addAll(drained);
            return count;
        }

        @Override
        public void clear() {
            withdrawAll();
        }

        /** Anything queued and never taken (the stack stops) no longer counts as waiting. */
        void withdrawAll() {
            DatagramQueuedMessageDispatch next;
            while ((next = super.poll()) != null) {
                if (next instanceof Stamped stamped) {
                    stamped.delay.withdrawn();
                }
            }
        }

        /**
         * The stack's own age limit, which its congestion auditor applied to the queue this one replaces: a datagram
         * that waited longer is dropped (its transaction has given up or retransmitted), not parsed late.
         */
        private boolean fresh(DatagramQueuedMessageDispatch next) {
            if (System.currentTimeMillis() - next.getReceptionTime() <= MAX_AGE_MILLIS) {
                return true;
            }
            STALE.record(count -> count + " datagram(s) dropped since the last such line: they waited over "
                    + MAX_AGE_MILLIS + " ms for the SIP stack's threads");
            return false;
        }

        private static DatagramQueuedMessageDispatch started(DatagramQueuedMessageDispatch next) {
            if (next instanceof Stamped stamped) {
                stamped.delay.started(stamped.submitted);
            }
            return next;
        }
    }

    /** JAIN-SIP's default CONGESTION_CONTROL_TIMEOUT, which the gateway does not change. */
    static final long MAX_AGE_MILLIS = 8_000;
    private static final org.webims.gateway.sip.logging.PeriodicCountLog STALE =
            new org.webims.gateway.sip.logging.PeriodicCountLog(LOG, java.time.Duration.ofSeconds(10));

    @Override
    public void stop() {
        super.stop();
        received.withdrawAll();
    }

    /** A received datagram and when it was queued, on the clock of the delay that measures it. */
    private static final class Stamped extends DatagramQueuedMessageDispatch {
        final WorkQueueDelay delay;
        final long submitted;

        Stamped(DatagramPacket packet, WorkQueueDelay delay, long submitted) {
            super(packet, System.currentTimeMillis());
            this.delay = delay;
            this.submitted = submitted;
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

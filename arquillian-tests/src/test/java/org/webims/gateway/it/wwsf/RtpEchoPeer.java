package org.webims.gateway.it.wwsf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media side of an IMS phone on 127.0.0.1: echoes every RTP packet back to where it came from (so the caller
 * hears its own tone) and reads the RFC 4733 telephone-events among them, which SIPp's {@code -rtp_echo} cannot
 * report. An event is a 4-byte payload: event code (0-9, 10 '*', 11 '#', 12-15 'A'-'D'), the end bit with the
 * volume, and the duration (RFC 4733 §2.3); each event counts once, at its first end packet.
 */
final class RtpEchoPeer implements AutoCloseable {

    private static final String EVENTS = "0123456789*#ABCD";

    private final DatagramSocket socket;
    private final Thread thread;
    private final AtomicLong packets = new AtomicLong();
    private final StringBuffer digits = new StringBuffer();
    private final Set<Long> endedEvents = ConcurrentHashMap.newKeySet();
    private final Set<Integer> eventPayloadTypes = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    private RtpEchoPeer(DatagramSocket socket) {
        this.socket = socket;
        this.thread = new Thread(this::loop, "rtp-echo-" + socket.getLocalPort());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static RtpEchoPeer start() {
        try {
            return new RtpEchoPeer(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    /** RTP packets received (and echoed) so far. */
    long packets() {
        return packets.get();
    }

    /** The telephone-events received so far, as the digits they stand for, in order. */
    String digits() {
        return digits.toString();
    }

    Set<Integer> eventPayloadTypes() {
        return Set.copyOf(eventPayloadTypes);
    }

    /** Waits until the received digits end with {@code expected}; the digits received by then. */
    String awaitDigits(String expected, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (!digits().contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return digits();
    }

    private void loop() {
        byte[] buffer = new byte[2048];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                socket.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
            } catch (IOException e) {
                if (running) {
                    continue;
                }
                return;
            }
            packets.incrementAndGet();
            read(packet.getData(), packet.getLength());
        }
    }

    /** RFC 3550 §5.1 header, then an RFC 4733 event payload when it is one (4 bytes, a dynamic payload type). */
    private void read(byte[] data, int length) {
        if (length < 12 || (data[0] & 0xC0) != 0x80) {
            return;
        }
        int payloadType = data[1] & 0x7F;
        int csrcs = data[0] & 0x0F;
        int offset = 12 + 4 * csrcs;
        if ((data[0] & 0x10) != 0 && length >= offset + 4) {
            offset += 4 + 4 * (((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF));
        }
        if (payloadType < 96 || length - offset != 4) {
            return;
        }
        int event = data[offset] & 0xFF;
        boolean end = (data[offset + 1] & 0x80) != 0;
        if (event >= EVENTS.length()) {
            return;
        }
        eventPayloadTypes.add(payloadType);
        long timestamp = ((data[4] & 0xFFL) << 24) | ((data[5] & 0xFFL) << 16) | ((data[6] & 0xFFL) << 8)
                | (data[7] & 0xFFL);
        // the end packet is sent three times (RFC 4733 §2.5.1.4): one event per timestamp
        if (end && endedEvents.add(timestamp)) {
            digits.append(EVENTS.charAt(event));
        }
    }

    @Override
    public void close() {
        running = false;
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

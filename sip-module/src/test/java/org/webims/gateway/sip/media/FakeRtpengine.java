package org.webims.gateway.sip.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/** A UDP peer standing in for rtpengine's ng port: the test reads each request and decides what to answer. */
final class FakeRtpengine implements AutoCloseable {

    /** One datagram received: its cookie, decoded dictionary and raw bytes. */
    record Request(String cookie, Map<String, Object> body, byte[] raw, SocketAddress from) {}

    private final DatagramSocket socket;

    FakeRtpengine() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(5_000);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** The next request; fails the test after 5 s. */
    Request next() throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        byte[] raw = Arrays.copyOf(packet.getData(), packet.getLength());
        int space = indexOf(raw, (byte) ' ');
        String cookie = new String(raw, 0, space, StandardCharsets.US_ASCII);
        return new Request(cookie, Bencode.decodeDictionary(raw, space + 1, raw.length - space - 1), raw,
                packet.getSocketAddress());
    }

    /** The next request if one arrives within {@code wait}. */
    Request nextWithin(Duration wait) throws IOException, TimeoutException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            return next();
        } catch (SocketTimeoutException e) {
            throw new TimeoutException("nothing within " + wait);
        } finally {
            socket.setSoTimeout(5_000);
        }
    }

    void reply(Request to, String bencodedBody) throws IOException {
        send(to.from(), (to.cookie() + " " + bencodedBody).getBytes(StandardCharsets.UTF_8));
    }

    void reply(Request to, Map<String, Object> body) throws IOException {
        byte[] encoded = Bencode.encode(body);
        byte[] cookie = (to.cookie() + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] datagram = Arrays.copyOf(cookie, cookie.length + encoded.length);
        System.arraycopy(encoded, 0, datagram, cookie.length, encoded.length);
        send(to.from(), datagram);
    }

    void send(SocketAddress to, byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        throw new IllegalStateException("no cookie in " + new String(data, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        socket.close();
    }
}

package org.webims.gateway.it.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A bare RFC 6455 client on a plain socket, for what a well-behaved library will not do: stay silent to pings
 * (a dead client), send frames of any size or kind, and read exactly what the server sent. Blocking, one thread.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int CONTINUATION = 0;
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final String handshakeResponse;

    private RawWebSocket(Socket socket, String handshakeResponse) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
        this.handshakeResponse = handshakeResponse;
    }

    /** Opens ws://127.0.0.1:port/sip with subprotocol sip; fails unless the server answers 101. */
    public static RawWebSocket connect(int port) throws IOException {
        return connect(port, InetAddress.getByName("127.0.0.1"));
    }

    /**
     * As {@link #connect(int)}, from the given local address (any 127.x.y.z on Linux), so that the gateway sees
     * another client address; an answer other than 101 throws {@link HandshakeRefused}.
     */
    public static RawWebSocket connect(int port, InetAddress from) throws IOException {
        return connect(port, from, "13");
    }

    /** As {@link #connect(int)}, asking for WebSocket version {@code version} (RFC 6455 §4.1: 13 is the one). */
    public static RawWebSocket connect(int port, String version) throws IOException {
        return connect(port, InetAddress.getByName("127.0.0.1"), version);
    }

    private static RawWebSocket connect(int port, InetAddress from, String version) throws IOException {
        Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, from, 0);
        socket.setSoTimeout(10_000);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET /sip HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: " + version + "\r\nSec-WebSocket-Protocol: sip\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String response = readHead(socket.getInputStream());
        if (!response.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new HandshakeRefused(response);
        }
        return new RawWebSocket(socket, response);
    }

    public String handshakeResponse() {
        return handshakeResponse;
    }

    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public void send(int opcode, byte[] payload) throws IOException {
        sendFrame(opcode, true, payload);
    }

    /** One frame; {@code fin} false for a fragment that more follow (RFC 6455 §5.4, continuations have opcode 0). */
    public synchronized void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            frame.write(0x80 | n);
        } else if (n < 65536) {
            frame.write(0x80 | 126);
            frame.write(n >>> 8);
            frame.write(n);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) n >>> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < n; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * Sends one frame announcing the whole payload's length, written in chunks as a slow client would; stops at the
     * first write the server no longer takes (it closed) and returns how many payload bytes were written.
     */
    public long streamFrame(int opcode, byte[] payload, int chunk) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(0x80 | opcode);
        head.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            head.write((int) ((long) payload.length >>> shift));
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        head.write(mask, 0, 4);
        long written = 0;
        try {
            synchronized (this) {
                out.write(head.toByteArray());
                for (int offset = 0; offset < payload.length; offset += chunk) {
                    int n = Math.min(chunk, payload.length - offset);
                    byte[] part = new byte[n];
                    for (int i = 0; i < n; i++) {
                        part[i] = (byte) (payload[offset + i] ^ mask[(offset + i) % 4]);
                    }
                    out.write(part);
                    written += n;
                }
                out.flush();
            }
        } catch (IOException closedByServer) {
            return written;
        }
        return written;
    }

    /** Reads frames until the server's close frame and returns its status code (RFC 6455 §5.5.1), -1 if none. */
    public int awaitCloseCode() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.opcode() == CLOSE) {
                return frame.payload().length >= 2 ? ((frame.payload()[0] & 0xff) << 8) | (frame.payload()[1] & 0xff)
                        : -1;
            }
        }
    }

    /** The next frame from the server (pings included, never answered). */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long n = b1 & 0x7f;
        if (n == 126) {
            n = in.readUnsignedShort();
        } else if (n == 127) {
            n = in.readLong();
        }
        byte[] payload = new byte[(int) n];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** The next text or binary frame's content, skipping pings. */
    public String readMessage() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.opcode() == TEXT || frame.opcode() == BINARY) {
                return frame.text();
            }
            if (frame.opcode() == CLOSE) {
                throw new IOException("closed by the server");
            }
        }
    }

    public boolean isClosedByPeer() {
        try {
            while (true) {
                if (read().opcode() == CLOSE) {
                    return true;
                }
            }
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /** The server answered the handshake with something other than 101. */
    public static final class HandshakeRefused extends IOException {
        private final String response;

        HandshakeRefused(String response) {
            super("handshake refused: " + response);
            this.response = response;
        }

        /** The status line and headers of the server's answer. */
        public String response() {
            return response;
        }
    }

    /** One WebSocket frame. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }
}

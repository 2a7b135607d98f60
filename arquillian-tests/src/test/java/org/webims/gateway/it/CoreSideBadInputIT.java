package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The gateway's SIP port toward the core against a peer that is not the core or sends what no IMS node would: a
 * host outside {@code gateway.ims.trusted-peers} (the test server trusts 127.0.0.1 only), a Content-Length far
 * beyond any SIP message, a request that never finishes. Each is refused or costs its own connection only,
 * promptly, and the gateway goes on answering (RFC 3261 §18.3: a stream with an unusable message is closed).
 */
class CoreSideBadInputIT extends GatewayTestBase {

    private static final String HEADERS = "OPTIONS sip:127.0.0.1:" + TestBed.SIP_PORT + " SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-%s\r\n"
            + "From: <sip:probe@ims.example.test>;tag=p1\r\nTo: <sip:127.0.0.1:" + TestBed.SIP_PORT + ">\r\n"
            + "Call-ID: probe-%s\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n";

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", TestBed.SIP_PORT), 5000);
        return socket;
    }

    /** Reads until the gateway closes the connection; false if it is still open after {@code wait}. */
    private static boolean closedWithin(Socket socket, Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // whatever the gateway answered before closing
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** The gateway still answers an OPTIONS over TCP on a new connection. */
    private static void stillAnswers() throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((String.format(HEADERS, "ok", "ok") + "Content-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] head = new byte[12];
            int n = socket.getInputStream().readNBytes(head, 0, head.length);
            assertEquals("SIP/2.0 200 ", new String(head, 0, n, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aRequestFromAHostThatIsNotATrustedCoreNodeIsRefused() throws Exception {
        try (DatagramSocket outsider = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            byte[] options = (String.format(HEADERS, "untrusted", "untrusted").replace("SIP/2.0/TCP 127.0.0.1:5999",
                    "SIP/2.0/UDP 127.0.0.2:" + outsider.getLocalPort()) + "Content-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            outsider.setSoTimeout(5000);
            outsider.send(new DatagramPacket(options, options.length,
                    new InetSocketAddress("127.0.0.1", TestBed.SIP_PORT)));
            DatagramPacket answer = new DatagramPacket(new byte[4096], 4096);
            outsider.receive(answer);
            String text = new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII);
            assertTrue(text.startsWith("SIP/2.0 403 Forbidden (not a trusted IMS node)"), text);
            assertTrue(text.contains("Warning: 399"), text);
        }
        stillAnswers(); // from 127.0.0.1, a trusted node
    }

    @Test
    void aContentLengthBeyondAnySipMessageClosesThatConnectionAtOnce() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write((String.format(HEADERS, "big", "big") + "Content-Length: 300000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertTrue(closedWithin(socket, Duration.ofSeconds(10)),
                    "the gateway did not wait for (or allocate) 300 MB of body");
        }
        stillAnswers();
    }

    @Test
    void aRequestThatNeverFinishesIsDroppedAfterTheReadTimeout() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(String.format(HEADERS, "slow", "slow")
                    .getBytes(StandardCharsets.US_ASCII)); // and nothing more: no end of headers
            assertTrue(closedWithin(socket, Duration.ofSeconds(15)), "a half-sent request holds no connection");
        }
        stillAnswers();
    }
}

package org.webims.gateway.diameter.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.testpeer.ErlangCdf;

/**
 * The codec against a real Diameter peer: Erlang/OTP's diameter application (deployment/charging/charging_peer.escript,
 * the CDF of the tests) decodes what we encode, and we decode what it answers: CER/CEA (RFC 6733 §5.3), ACR/ACA with
 * the T flag (§9.7), DWR/DWA (§5.5) and DPR/DPA (§5.4), over TCP on 127.0.0.1.
 */
class ErlangPeerCodecTest {
    private ErlangCdf cdf;
    private int nextId = 1;

    @BeforeEach
    void startPeer() throws Exception {
        cdf = ErlangCdf.start();
    }

    @AfterEach
    void stopPeer() throws Exception {
        cdf.close();
    }

    private DiameterMessage request(int command, long application, List<Avp> avps) {
        int id = nextId++;
        return new DiameterMessage(command, true, command == DiameterMessage.ACCOUNTING, false, false, application,
                id, 0x1000 + id, avps);
    }

    private static List<Avp> origin() {
        return List.of(Avp.utf8(AvpCode.ORIGIN_HOST, "gw.test.example"), Avp.utf8(AvpCode.ORIGIN_REALM, "test.example"));
    }

    private static DiameterMessage exchange(Socket socket, DiameterMessage request) throws Exception {
        socket.getOutputStream().write(MessageCodec.encode(request));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] first = new byte[4];
        in.readFully(first);
        int length = MessageCodec.announcedLength(ByteBuffer.wrap(first));
        byte[] whole = new byte[length];
        System.arraycopy(first, 0, whole, 0, 4);
        in.readFully(whole, 4, length - 4);
        DiameterMessage answer = MessageCodec.decode(whole);
        assertFalse(answer.request(), answer.toString());
        assertEquals(request.commandCode(), answer.commandCode());
        assertEquals(request.hopByHop(), answer.hopByHop(), "RFC 6733 §3: the answer carries the request's ids");
        assertEquals(request.endToEnd(), answer.endToEnd());
        return answer;
    }

    private static long resultCode(DiameterMessage answer) throws MalformedMessage {
        return answer.first(AvpCode.RESULT_CODE).orElseThrow(() -> new AssertionError("no Result-Code: " + answer))
                .unsigned32();
    }

    @Test
    void theErlangPeerTakesOurMessagesAndWeTakeItsAnswers() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), cdf.port())) {
            socket.setSoTimeout(10_000);
            List<Avp> cer = new java.util.ArrayList<>(origin());
            cer.add(Avp.address(AvpCode.HOST_IP_ADDRESS, InetAddress.getLoopbackAddress()));
            cer.add(Avp.unsigned32(AvpCode.VENDOR_ID, 0));
            cer.add(Avp.utf8(AvpCode.PRODUCT_NAME, "webims-gateway"));
            cer.add(Avp.unsigned32(AvpCode.ACCT_APPLICATION_ID, 3));
            DiameterMessage cea = exchange(socket, request(DiameterMessage.CAPABILITIES_EXCHANGE, 0, cer));
            assertEquals(ResultCode.SUCCESS, resultCode(cea));
            assertEquals("cdf-" + cdf.port() + ".test.example", cea.first(AvpCode.ORIGIN_HOST).orElseThrow().utf8());
            assertEquals(InetAddress.getLoopbackAddress(), cea.first(AvpCode.HOST_IP_ADDRESS).orElseThrow().address());
            assertEquals(3, cea.first(AvpCode.ACCT_APPLICATION_ID).orElseThrow().unsigned32());

            List<Avp> acr = new java.util.ArrayList<>(List.of(Avp.utf8(AvpCode.SESSION_ID, "gw.test.example;1;7")));
            acr.addAll(origin());
            acr.add(Avp.utf8(AvpCode.DESTINATION_REALM, "test.example"));
            acr.add(Avp.integer32(AvpCode.ACCOUNTING_RECORD_TYPE, 2)); // START_RECORD
            acr.add(Avp.unsigned32(AvpCode.ACCOUNTING_RECORD_NUMBER, 0));
            acr.add(Avp.unsigned32(AvpCode.ACCT_APPLICATION_ID, 3));
            DiameterMessage start = request(DiameterMessage.ACCOUNTING, 3, acr);
            DiameterMessage aca = exchange(socket, start);
            assertEquals(ResultCode.SUCCESS, resultCode(aca));
            assertEquals(0, aca.first(AvpCode.ACCOUNTING_RECORD_NUMBER).orElseThrow().unsigned32());
            DiameterMessage again = exchange(socket, start.retransmission().withHopByHop(nextId++));
            assertEquals(ResultCode.SUCCESS, resultCode(again));

            DiameterMessage dwa = exchange(socket, request(DiameterMessage.DEVICE_WATCHDOG, 0, origin()));
            assertEquals(ResultCode.SUCCESS, resultCode(dwa));
            List<Avp> dpr = new java.util.ArrayList<>(origin());
            dpr.add(Avp.integer32(AvpCode.DISCONNECT_CAUSE, 0)); // REBOOTING
            DiameterMessage dpa = exchange(socket, request(DiameterMessage.DISCONNECT_PEER, 0, dpr));
            assertEquals(ResultCode.SUCCESS, resultCode(dpa));
        }
        List<String> written = cdf.records();
        assertEquals(2, written.size(), "the CDF wrote the record and its retransmission: " + written);
        assertTrue(written.get(0).startsWith("session=gw.test.example;1;7\ttype=2\tnumber=0\tt=false"), written.get(0));
        assertTrue(written.get(1).contains("t=true"), "the T flag reached the CDF: " + written.get(1));
    }
}

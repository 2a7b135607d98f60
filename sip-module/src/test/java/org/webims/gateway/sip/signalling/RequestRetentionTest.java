package org.webims.gateway.sip.signalling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.TransactionExt;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which transactions keep their request parsed ({@link RequestRetention}), on a real JAIN-SIP stack with the gateway's
 * default release strategy and its re-entrant listener.
 */
class RequestRetentionTest {
    private SipStack stack;
    private int udpPort;
    private SipProvider provider;

    @BeforeEach
    void start() throws Exception {
        int tcpPort;
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            udpPort = udp.getLocalPort();
            tcpPort = tcp.getLocalPort();
        }
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "retention-" + udpPort);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Normal");
        // as SipRuntime: the listener is called within the stack's handling of a response, before it lets go
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        stack = factory.createSipStack(p);
        provider = stack.createSipProvider(stack.createListeningPoint("127.0.0.1", udpPort, "udp"));
        provider.addListeningPoint(stack.createListeningPoint("127.0.0.1", tcpPort, "tcp"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        // JAIN-SIP's UDP processor makes its channel list on its own thread before it first receives: a stop before
        // that thread got there throws (UDPMessageProcessor.stop, messageChannels null), so wait until it receives
        String processor = "MessageProcessorThread-UDP-127.0.0.1/" + udpPort;
        for (int i = 0; i < 200 && Thread.getAllStackTraces().entrySet().stream()
                .noneMatch(t -> t.getKey().getName().equals(processor) && java.util.Arrays.stream(t.getValue())
                        .anyMatch(f -> f.getMethodName().startsWith("receive"))); i++) {
            Thread.sleep(10);
        }
        stack.stop();
    }

    private ReleaseReferencesStrategy retentionOf(String method, String transport) throws Exception {
        return retentionOf(method, transport, "");
    }

    private ReleaseReferencesStrategy retentionOf(String method, String transport, String toParams)
            throws Exception {
        String text = method + " sip:core.ims.test;transport=" + transport + " SIP/2.0\r\n"
                + "Route: <sip:127.0.0.1:9;lr;transport=" + transport + ">\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@ims.test>;tag=1\r\n"
                + "To: <sip:alice@ims.test>" + toParams + "\r\n"
                + "Call-ID: retention-" + method + transport + (toParams.isEmpty() ? "" : "-in-dialog") + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:alice@127.0.0.1>\r\nContent-Length: 0\r\n\r\n";
        ClientTransaction ct = provider.getNewClientTransaction(
                SipFactory.getInstance().createMessageFactory().createRequest(text));
        RequestRetention.applyTo(ct);
        return ((TransactionExt) ct).getReleaseReferencesStrategy();
    }

    @Test
    void aNonInviteTransactionOnAReliableTransportIsToldToKeepItsRequestParsed() throws Exception {
        assertEquals(ReleaseReferencesStrategy.None, retentionOf("REGISTER", "tcp"));
        assertEquals(ReleaseReferencesStrategy.None, retentionOf("MESSAGE", "tcp"));
    }

    @Test
    void forAnInviteTheStacksReleaseStrategyStays() throws Exception {
        assertEquals(ReleaseReferencesStrategy.Normal, retentionOf("INVITE", "tcp"),
                "an answered INVITE's transaction stays 64*T1 for forks");
        assertEquals(ReleaseReferencesStrategy.Normal, retentionOf("INVITE", "udp", ";tag=2"),
                "a re-INVITE's transaction stays as long");
    }

    @Test
    void anOutOfDialogNonInviteClientTransactionOnUdpIsToldToLetGoOfItsRequest() throws Exception {
        assertEquals(ReleaseReferencesStrategy.Aggressive, retentionOf("REGISTER", "udp"),
                "Timer K keeps it for T4 only to absorb retransmissions: no bytes to encode, nothing to re-parse");
        assertEquals(ReleaseReferencesStrategy.Aggressive, retentionOf("OPTIONS", "udp"));
    }

    @Test
    void aNonInviteClientTransactionWithinADialogOnUdpKeepsItsRequestParsedForTimerK() throws Exception {
        assertEquals(ReleaseReferencesStrategy.None, retentionOf("BYE", "udp", ";tag=2"));
        assertEquals(ReleaseReferencesStrategy.None, retentionOf("PRACK", "udp", ";tag=2"));
    }

    /**
     * The real exchange over UDP, a plain socket as the core: the 200 reaches the listener once with the request still
     * readable there, the request is let go once the answer has been handled (while Timer K runs), the core's
     * retransmission is still absorbed then (matched by branch and method alone), and the transaction ends and is
     * removed at Timer K without parsing anything again.
     */
    @Test
    void aRegisterOnUdpIsAnsweredOnceAbsorbsTheRetransmissionAndEndsWithoutItsRequest() throws Exception {
        List<Integer> answered = new CopyOnWriteArrayList<>();
        List<String> requestAtAnswer = new CopyOnWriteArrayList<>();
        CountDownLatch terminated = new CountDownLatch(1);
        provider.addSipListener(new ListenerForResponses(event -> {
            answered.add(event.getResponse().getStatusCode());
            var answeredOn = event.getClientTransaction();
            requestAtAnswer.add(answeredOn == null ? "no transaction" : answeredOn.getRequest() == null ? "none"
                    : answeredOn.getRequest().getMethod());
        }, terminated));
        try (DatagramSocket core = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            core.setSoTimeout(5000);
            String text = "REGISTER sip:ims.test SIP/2.0\r\n"
                    + "Route: <sip:127.0.0.1:" + core.getLocalPort() + ";lr>\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:alice@ims.test>;tag=1\r\nTo: <sip:alice@ims.test>\r\n"
                    + "Call-ID: retention-exchange\r\nCSeq: 1 REGISTER\r\n"
                    + "Contact: <sip:alice@127.0.0.1>\r\nContent-Length: 0\r\n\r\n";
            javax.sip.message.Request request = SipFactory.getInstance().createMessageFactory().createRequest(text);
            request.addHeader(SipFactory.getInstance().createHeaderFactory()
                    .createViaHeader("127.0.0.1", udpPort, "udp", null));
            ClientTransaction ct = provider.getNewClientTransaction(request);
            ct.setRetransmitTimer(100);
            ((gov.nist.javax.sip.stack.SIPTransaction) ct).setTimerT4(2000); // Timer K: 2 s, ample for the test
            RequestRetention.applyTo(ct);
            ct.sendRequest();

            DatagramPacket got = new DatagramPacket(new byte[4096], 4096);
            core.receive(got);
            String sent = new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8);
            String ok = "SIP/2.0 200 OK\r\n" + sent.lines()
                    .filter(l -> l.matches("(?i)^(Via|From|To|Call-ID|CSeq):.*")).map(l -> l + "\r\n")
                    .reduce("", String::concat) + "Contact: <sip:alice@127.0.0.1>;expires=600\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = ok.getBytes(StandardCharsets.UTF_8);
            core.send(new DatagramPacket(bytes, bytes.length, got.getSocketAddress()));
            for (int i = 0; i < 200 && (answered.isEmpty() || ct.getRequest() != null); i++) {
                Thread.sleep(5);
            }
            assertNull(ct.getRequest(), "let go once answered: nothing kept as bytes, nothing to parse again");
            assertEquals(javax.sip.TransactionState.COMPLETED, ct.getState(), "still in Timer K");
            core.send(new DatagramPacket(bytes, bytes.length, got.getSocketAddress())); // the core's retransmission

            assertTrue(terminated.await(10, TimeUnit.SECONDS), "Timer K ends the transaction");
            assertEquals(List.of(200), answered, "the retransmitted 200 is absorbed by the transaction in Timer K");
            assertEquals(List.of("REGISTER"), requestAtAnswer, "the request is there while the listener handles it");
            assertNull(ct.getRequest(), "and not parsed again when Timer K removes the transaction");
            assertEquals(javax.sip.TransactionState.TERMINATED, ct.getState());
        }
    }

    /** Hands responses on and counts the end of the transaction; nothing else is expected. */
    private record ListenerForResponses(java.util.function.Consumer<javax.sip.ResponseEvent> responses,
            CountDownLatch terminated) implements javax.sip.SipListener {
        @Override
        public void processResponse(javax.sip.ResponseEvent event) {
            responses.accept(event);
        }

        @Override
        public void processTransactionTerminated(javax.sip.TransactionTerminatedEvent event) {
            terminated.countDown();
        }

        @Override
        public void processRequest(javax.sip.RequestEvent event) {
        }

        @Override
        public void processTimeout(javax.sip.TimeoutEvent event) {
        }

        @Override
        public void processIOException(javax.sip.IOExceptionEvent event) {
        }

        @Override
        public void processDialogTerminated(javax.sip.DialogTerminatedEvent event) {
        }
    }
}

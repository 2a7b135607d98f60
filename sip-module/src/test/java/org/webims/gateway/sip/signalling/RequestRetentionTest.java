package org.webims.gateway.sip.signalling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.TransactionExt;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;
import javax.sip.ClientTransaction;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which transactions keep their request parsed ({@link RequestRetention}), on a real JAIN-SIP stack with the gateway's
 * default release strategy; nothing is sent.
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
        RequestRetention.keepParsedIfShortLived(ct);
        return ((TransactionExt) ct).getReleaseReferencesStrategy();
    }

    @Test
    void aNonInviteTransactionOnAReliableTransportIsToldToKeepItsRequestParsed() throws Exception {
        assertEquals(ReleaseReferencesStrategy.None, retentionOf("REGISTER", "tcp"));
        assertEquals(ReleaseReferencesStrategy.None, retentionOf("MESSAGE", "tcp"));
    }

    @Test
    void onUdpOrForAnInviteTheStacksReleaseStrategyStays() throws Exception {
        assertEquals(ReleaseReferencesStrategy.Normal, retentionOf("REGISTER", "udp"),
                "Timer K keeps it for T4: its request is kept as bytes meanwhile");
        assertEquals(ReleaseReferencesStrategy.Normal, retentionOf("INVITE", "tcp"),
                "an answered INVITE's transaction stays 64*T1 for forks");
        assertEquals(ReleaseReferencesStrategy.Normal, retentionOf("INVITE", "udp", ";tag=2"),
                "a re-INVITE's transaction stays as long");
    }

    @Test
    void aNonInviteClientTransactionWithinADialogOnUdpKeepsItsRequestParsedForTimerK() throws Exception {
        assertEquals(ReleaseReferencesStrategy.None, retentionOf("BYE", "udp", ";tag=2"));
        assertEquals(ReleaseReferencesStrategy.None, retentionOf("PRACK", "udp", ";tag=2"));
    }
}

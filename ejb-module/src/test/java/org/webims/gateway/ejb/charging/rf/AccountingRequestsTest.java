package org.webims.gateway.ejb.charging.rf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MessageCodec;
import org.webims.gateway.diameter.peer.DiameterPeer;
import org.webims.gateway.diameter.peer.Watchdog;
import org.webims.gateway.diameter.testpeer.AccountingLine;
import org.webims.gateway.diameter.testpeer.ErlangCdf;
import org.webims.gateway.ejb.charging.AccountingRecord;
import org.webims.gateway.ejb.charging.AccountingRecordType;
import org.webims.gateway.ejb.charging.OutboxTransport;
import org.webims.gateway.ports.call.CallDirection;
import org.webims.gateway.ports.call.MediaStream;

/**
 * Our ACRs as a real CDF sees them: Erlang/OTP's diameter decodes each with the Rf dictionary of TS 32.299 (every AVP
 * known, none left over), and its ACA is judged by {@link RfPeers}.
 */
class AccountingRequestsTest {
    private static final NioEventLoopGroup GROUP = new NioEventLoopGroup(1);
    private static ErlangCdf cdf;
    private static DiameterPeer peer;
    private final AccountingRequests requests = new AccountingRequests("webims.ims.test", "ims.test", "cdf.test");

    @BeforeAll
    static void start() throws Exception {
        cdf = ErlangCdf.start();
        peer = new DiameterPeer(new DiameterPeer.Settings("127.0.0.1", cdf.port(), "webims.ims.test", "ims.test",
                InetAddress.getLoopbackAddress(), List.of(3L), List.of(), Duration.ofSeconds(5), Duration.ofSeconds(5),
                10, Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(1)), GROUP);
        peer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (peer.state() != Watchdog.State.OKAY && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        peer.close();
        cdf.close();
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private AccountingLine sent(AccountingRecord record) throws Exception {
        int before = cdf.records().size();
        // through the codec, as the outbox stores and sends it
        DiameterMessage acr = MessageCodec.decode(MessageCodec.encode(requests.acr(record, peer.nextEndToEnd())));
        OutboxTransport.Delivery delivery = RfPeers.judge(peer.send(acr).get(5, TimeUnit.SECONDS));
        assertEquals(OutboxTransport.Outcome.DELIVERED, delivery.outcome());
        List<AccountingLine> lines = cdf.accountingRecords();
        assertEquals(before + 1, lines.size());
        return lines.get(lines.size() - 1);
    }

    @Test
    void aStartCarriesTheImsInformationOfTs32299() throws Exception {
        AccountingLine line = sent(new AccountingRecord("webims.ims.test;1;2;c1", AccountingRecordType.START, 0,
                Instant.parse("2026-12-03T10:00:05Z"), "INVITE", CallDirection.ORIGINATING, "sip:alice@ims.test",
                "tel:+15550100", "shop", "0123abcd", Instant.parse("2026-12-03T10:00:00Z"),
                Instant.parse("2026-12-03T10:00:05Z"),
                List.of(new MediaStream("audio", List.of("opus", "telephone-event"), true)),
                List.of(new MediaStream("audio", List.of("PCMU", "telephone-event"), true)), null, 300));
        assertEquals("0", line.get("unknown"), "every AVP known to the TS 32.299 dictionary: " + line);
        assertEquals(2, line.type());
        assertEquals("32260@3gpp.org", line.get("context"));
        assertEquals("300", line.get("interim"));
        assertEquals("sip:alice@ims.test", line.get("user"));
        assertEquals("2:sip:alice@ims.test", line.get("subscription"));
        assertEquals("INVITE", line.get("method"));
        assertEquals("0", line.get("role"), "ORIGINATING_ROLE");
        assertEquals("1", line.get("node"), "P-CSCF");
        assertEquals("sip:alice@ims.test", line.get("calling"));
        assertEquals("tel:+15550100", line.get("called"));
        assertEquals("0123abcd", line.get("icid"));
        assertEquals("2026-12-03T10:00:00Z", line.get("requested"));
        assertEquals("2026-12-03T10:00:05Z", line.get("answered"));
        assertEquals("shop", line.get("provider"));
        assertEquals("m=audio realm=1 transcoder=1 a=rtpmap:PCMU,a=rtpmap:telephone-event"
                + "|m=audio realm=0 transcoder=1 a=rtpmap:opus,a=rtpmap:telephone-event", line.get("media"));
        assertEquals("", line.get("cause"));
        assertFalse(line.retransmitted());
    }

    @Test
    void aTerminatingEventOfATelSubscriberHasAnE164SubscriptionAndItsCause() throws Exception {
        AccountingLine line = sent(new AccountingRecord("webims.ims.test;1;3;c2", AccountingRecordType.EVENT, 0,
                Instant.parse("2026-12-03T10:00:01Z"), "INVITE", CallDirection.TERMINATING, "tel:+1-555-0123",
                "sip:bob@ims.test", null, "icid-2", Instant.parse("2026-12-03T10:00:00Z"), null, List.of(), List.of(),
                486, 0));
        assertEquals("0", line.get("unknown"), line.toString());
        assertEquals(1, line.type());
        assertEquals("0:15550123", line.get("subscription"));
        assertEquals("1", line.get("role"), "TERMINATING_ROLE");
        assertEquals("sip:bob@ims.test", line.get("calling"));
        assertEquals("tel:+1-555-0123", line.get("called"));
        assertEquals("486", line.get("cause"));
        assertEquals("operator", line.get("provider"), "the operator's own client");
        assertEquals("", line.get("answered"));
        assertEquals("", line.get("interim"));
    }

    @Test
    void answersAreJudgedByTheirResultCodeClass() {
        assertEquals(OutboxTransport.Outcome.DELIVERED, RfPeers.judge(answer(2001)).outcome());
        assertEquals(OutboxTransport.Outcome.RETRY, RfPeers.judge(answer(3002)).outcome());
        assertEquals(OutboxTransport.Outcome.RETRY, RfPeers.judge(answer(3004)).outcome());
        assertEquals(OutboxTransport.Outcome.ANSWERED_FAILURE, RfPeers.judge(answer(4001)).outcome());
        assertEquals(OutboxTransport.Outcome.REJECTED, RfPeers.judge(answer(3007)).outcome());
        assertEquals(OutboxTransport.Outcome.REJECTED, RfPeers.judge(answer(5005)).outcome());
        assertTrue(RfPeers.judge(answer(5005)).detail().contains("5005"));
    }

    private static DiameterMessage answer(int result) {
        return new DiameterMessage(DiameterMessage.ACCOUNTING, false, true, false, false, 3, 1, 1, List.of(
                org.webims.gateway.diameter.codec.Avp.unsigned32(org.webims.gateway.diameter.codec.AvpCode.RESULT_CODE,
                        result)));
    }
}

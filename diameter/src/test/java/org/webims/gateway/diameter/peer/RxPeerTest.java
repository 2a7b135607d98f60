package org.webims.gateway.diameter.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MalformedMessage;
import org.webims.gateway.diameter.codec.ResultCode;
import org.webims.gateway.diameter.testpeer.AccountingLine;
import org.webims.gateway.diameter.testpeer.ErlangPcrf;

/**
 * Rx (TS 29.214) through a {@link DiameterPeer} against the tests' Erlang PCRF: Erlang/OTP's diameter decodes every
 * AAR and STR with the Rx dictionary (a malformed one would be answered 5xxx, not recorded), the PCRF keeps the
 * sessions, refuses on request, and its own ASR and RAR reach the peer's {@link PeerRequests}, whose answers it
 * records. Waits are bounded and polled.
 */
class RxPeerTest {
    private static final long RX = 16777236L;
    private static final int AAR = 265;
    private static final int STR = 275;
    private static final int ASR = 274;
    private static final int RAR = 258;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String RTP_OUT = "permit out 17 from 192.0.2.1 40000 to 198.51.100.7 50000";
    private static final String RTP_IN = "permit in 17 from 198.51.100.7 50000 to 192.0.2.1 40000";
    private static final String RTCP_OUT = "permit out 17 from 192.0.2.1 40001 to 198.51.100.7 50001";
    private static final String RTCP_IN = "permit in 17 from 198.51.100.7 50001 to 192.0.2.1 40001";

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    /** The requests the PCRF sent, as the peer's handler took them. */
    private final BlockingQueue<DiameterMessage> fromPcrf = new LinkedBlockingQueue<>();
    private volatile long handlerAnswers = ResultCode.SUCCESS;
    private ErlangPcrf pcrf;
    private DiameterPeer peer;
    private int sessions;

    @BeforeEach
    void start() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        pcrf = ErlangPcrf.start(port);
        peer = new DiameterPeer(new DiameterPeer.Settings("127.0.0.1", port, "gw.test.example", "test.example",
                InetAddress.getLoopbackAddress(), List.of(), List.of(RX), Duration.ofSeconds(5), Duration.ofSeconds(5),
                8, Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(1)), group)
                .answeringWith(request -> {
                    fromPcrf.add(request);
                    return handlerAnswers;
                });
        peer.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (peer.state() != Watchdog.State.OKAY) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the peer is not OKAY within 10 s: " + peer.state());
            }
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() throws Exception {
        peer.close();
        Thread.sleep(600); // the DPR goes out before the PCRF stops (the peer closes 500 ms after it)
        pcrf.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private String newSession() {
        return "gw.test.example;rx;" + System.nanoTime() + ";" + (++sessions);
    }

    private DiameterMessage request(int command, List<Avp> avps) {
        return new DiameterMessage(command, true, true, false, false, RX, 0, peer.nextEndToEnd(), avps);
    }

    private static List<Avp> head(String session) {
        return new ArrayList<>(List.of(Avp.utf8(AvpCode.SESSION_ID, session),
                Avp.unsigned32(AvpCode.AUTH_APPLICATION_ID, RX), Avp.utf8(AvpCode.ORIGIN_HOST, "gw.test.example"),
                Avp.utf8(AvpCode.ORIGIN_REALM, "test.example"), Avp.utf8(AvpCode.DESTINATION_REALM, "test.example")));
    }

    private static Avp subComponent(int flow, String out, String in, Integer usage) {
        List<Avp> members = new ArrayList<>(List.of(Avp.unsigned32(AvpCode.FLOW_NUMBER, flow),
                Avp.octets(AvpCode.FLOW_DESCRIPTION, out.getBytes(StandardCharsets.US_ASCII)),
                Avp.octets(AvpCode.FLOW_DESCRIPTION, in.getBytes(StandardCharsets.US_ASCII))));
        if (usage != null) {
            members.add(Avp.integer32(AvpCode.FLOW_USAGE, usage));
        }
        return Avp.grouped(AvpCode.MEDIA_SUB_COMPONENT, members);
    }

    /** An INITIAL AAR for one audio component: RTP and RTCP flows, both directions each, as the AF sends it. */
    private DiameterMessage initialAar(String session) {
        List<Avp> avps = head(session);
        avps.add(Avp.octets(AvpCode.AF_APPLICATION_IDENTIFIER, "webims".getBytes(StandardCharsets.US_ASCII)));
        avps.add(Avp.grouped(AvpCode.MEDIA_COMPONENT_DESCRIPTION, List.of(
                Avp.unsigned32(AvpCode.MEDIA_COMPONENT_NUMBER, 1),
                subComponent(1, RTP_OUT, RTP_IN, null),
                subComponent(2, RTCP_OUT, RTCP_IN, 1), // RTCP
                Avp.integer32(AvpCode.MEDIA_TYPE, 0), // AUDIO
                Avp.unsigned32(AvpCode.MAX_REQUESTED_BANDWIDTH_UL, 64000),
                Avp.unsigned32(AvpCode.MAX_REQUESTED_BANDWIDTH_DL, 48000),
                Avp.integer32(AvpCode.FLOW_STATUS, 2), // ENABLED
                Avp.octets(AvpCode.CODEC_DATA, "uplink\noffer\nm=audio 40000 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n"
                        .getBytes(StandardCharsets.UTF_8)))));
        avps.add(Avp.octets(AvpCode.AF_CHARGING_IDENTIFIER, "icid-4711".getBytes(StandardCharsets.US_ASCII)));
        avps.add(Avp.integer32(AvpCode.SPECIFIC_ACTION, 2)); // INDICATION_OF_LOSS_OF_BEARER
        avps.add(Avp.integer32(AvpCode.SPECIFIC_ACTION, 4)); // INDICATION_OF_RELEASE_OF_BEARER
        avps.add(Avp.grouped(AvpCode.SUBSCRIPTION_ID, List.of(Avp.integer32(AvpCode.SUBSCRIPTION_ID_TYPE, 2),
                Avp.utf8(AvpCode.SUBSCRIPTION_ID_DATA, "sip:alice@ims.example.test"))));
        avps.add(Avp.octets(AvpCode.FRAMED_IP_ADDRESS, new byte[] {(byte) 192, 0, 2, 1}));
        avps.add(Avp.integer32(AvpCode.RX_REQUEST_TYPE, 0)); // INITIAL_REQUEST
        return request(AAR, avps);
    }

    /** An UPDATE AAR: the component's flows changed (the answer's port). */
    private DiameterMessage updateAar(String session) {
        List<Avp> avps = head(session);
        avps.add(Avp.grouped(AvpCode.MEDIA_COMPONENT_DESCRIPTION, List.of(
                Avp.unsigned32(AvpCode.MEDIA_COMPONENT_NUMBER, 1),
                subComponent(1, RTP_OUT.replace("50000", "50002"), RTP_IN.replace("50000", "50002"), null),
                Avp.integer32(AvpCode.MEDIA_TYPE, 0))));
        avps.add(Avp.integer32(AvpCode.RX_REQUEST_TYPE, 1)); // UPDATE_REQUEST
        return request(AAR, avps);
    }

    private DiameterMessage str(String session) {
        List<Avp> avps = head(session);
        avps.add(Avp.integer32(AvpCode.TERMINATION_CAUSE, 1)); // DIAMETER_LOGOUT
        return request(STR, avps);
    }

    private DiameterMessage send(DiameterMessage request) throws Exception {
        return peer.send(request).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static long resultCode(DiameterMessage answer) throws MalformedMessage {
        return answer.first(AvpCode.RESULT_CODE).orElseThrow(() -> new AssertionError("no Result-Code"))
                .unsigned32();
    }

    private static long unsigned(DiameterMessage message, AvpCode code) throws MalformedMessage {
        return message.first(code).orElseThrow(() -> new AssertionError("no " + code.name())).unsigned32();
    }

    /** The first record line that matches, waiting for it a few seconds. */
    private AccountingLine record(String what, Predicate<AccountingLine> which) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (AccountingLine line : pcrf.requests()) {
                if (which.test(line)) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no record of " + what + " within " + WAIT + ": " + pcrf.requests());
            }
            Thread.sleep(20);
        }
    }

    private static Predicate<AccountingLine> of(String command, String session) {
        return line -> command.equals(line.get("command")) && session.equals(line.session());
    }

    private DiameterMessage nextFromPcrf(String what) throws InterruptedException {
        DiameterMessage request = fromPcrf.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(request, "no " + what + " from the PCRF within " + WAIT);
        return request;
    }

    @Test
    void anAarIsDecodedAvpByAvpAuthorisedAndUpdated() throws Exception {
        String session = newSession();
        DiameterMessage aaa = send(initialAar(session));
        assertEquals(AAR, aaa.commandCode());
        assertEquals(ResultCode.SUCCESS, resultCode(aaa));
        assertEquals(session, aaa.first(AvpCode.SESSION_ID).orElseThrow().utf8());
        assertEquals(RX, unsigned(aaa, AvpCode.AUTH_APPLICATION_ID));
        assertEquals("pcrf-" + pcrf.port() + ".test.example", aaa.originHost().orElseThrow());

        AccountingLine line = record("the AAR", of("AAR", session));
        assertEquals(Set.of("command", "session", "t", "type", "icid", "app", "user", "framed", "actions",
                "components", "m1", "f1", "u1", "result"), line.fields().keySet());
        assertEquals("false", line.get("t"));
        assertEquals("0", line.get("type"));
        assertEquals("icid-4711", line.get("icid"));
        assertEquals("webims", line.get("app"));
        assertEquals("sip:alice@ims.example.test", line.get("user"));
        assertEquals("192.0.2.1", line.get("framed"));
        assertEquals("2,4", line.get("actions"));
        assertEquals("1", line.get("components"));
        assertEquals("1;audio;status=2;ul=64000;dl=48000;codecs=1", line.get("m1"));
        assertEquals(String.join("|", RTP_OUT, RTP_IN, RTCP_OUT, RTCP_IN), line.get("f1"));
        assertEquals("none,1", line.get("u1"));
        assertEquals("2001", line.get("result"));

        DiameterMessage updated = send(updateAar(session));
        assertEquals(ResultCode.SUCCESS, resultCode(updated));
        AccountingLine update = record("the update", of("AAR", session).and(l -> "1".equals(l.get("type"))));
        assertEquals("none", update.get("icid"));
        assertEquals("none", update.get("user"));
        assertEquals("none", update.get("framed"));
        assertEquals("none", update.get("actions"));
        assertEquals("1;audio;status=none;ul=none;dl=none;codecs=0", update.get("m1"));
        assertEquals(RTP_OUT.replace("50000", "50002") + "|" + RTP_IN.replace("50000", "50002"), update.get("f1"));
        assertEquals("none", update.get("u1"));
        assertEquals("2001", update.get("result"));

        String unknown = newSession();
        assertEquals(ResultCode.UNKNOWN_SESSION_ID, resultCode(send(updateAar(unknown))),
                "TS 29.214 §4.4.2: an update of a session the PCRF does not hold");
        assertEquals("5002", record("the unknown update", of("AAR", unknown)).get("result"));
    }

    @Test
    void theStrEndsTheSessionAndASecondOneFindsNone() throws Exception {
        String session = newSession();
        assertEquals(ResultCode.SUCCESS, resultCode(send(initialAar(session))));
        DiameterMessage sta = send(str(session));
        assertEquals(STR, sta.commandCode());
        assertEquals(ResultCode.SUCCESS, resultCode(sta));
        AccountingLine line = record("the STR", of("STR", session));
        assertEquals("false", line.get("t"));
        assertEquals("1", line.get("cause"));
        assertEquals("2001", line.get("result"));

        assertEquals(ResultCode.UNKNOWN_SESSION_ID, resultCode(send(str(session))), "closed by the first STR");
        assertEquals(List.of("2001", "5002"), pcrf.requests().stream().filter(of("STR", session))
                .map(l -> l.get("result")).toList());
    }

    @Test
    void anAbortReachesThePeersHandlerForEverySessionAndItsAnswerIsRecorded() throws Exception {
        String first = newSession();
        String second = newSession();
        String ended = newSession();
        for (String session : List.of(first, second, ended)) {
            assertEquals(ResultCode.SUCCESS, resultCode(send(initialAar(session))));
        }
        assertEquals(ResultCode.SUCCESS, resultCode(send(str(ended))));

        pcrf.abortSessions();
        List<String> aborted = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            DiameterMessage asr = nextFromPcrf("ASR");
            assertEquals(ASR, asr.commandCode());
            assertTrue(asr.request());
            assertEquals(RX, asr.applicationId());
            assertEquals(0, asr.first(AvpCode.ABORT_CAUSE).orElseThrow().integer32(), "BEARER_RELEASED");
            assertEquals(RX, unsigned(asr, AvpCode.AUTH_APPLICATION_ID));
            assertEquals("gw.test.example", asr.first(AvpCode.DESTINATION_HOST).orElseThrow().utf8());
            assertEquals("test.example", asr.first(AvpCode.DESTINATION_REALM).orElseThrow().utf8());
            assertEquals("pcrf-" + pcrf.port() + ".test.example", asr.originHost().orElseThrow());
            aborted.add(asr.first(AvpCode.SESSION_ID).orElseThrow().utf8());
        }
        assertEquals(Set.of(first, second), Set.copyOf(aborted), "every session it holds, not the one ended");
        assertEquals("2001", record("the ASA", of("ASA", first)).get("result"));
        assertEquals("2001", record("the ASA", of("ASA", second)).get("result"));
        Thread.sleep(300); // three polls of its control file: the same stamp sends nothing again
        assertTrue(fromPcrf.isEmpty(), "one ASR per session for one stamp");
    }

    @Test
    void aLossOfBearerIsAReAuthRequestAndAnAnswerOf5002IsRecordedSo() throws Exception {
        String session = newSession();
        assertEquals(ResultCode.SUCCESS, resultCode(send(initialAar(session))));

        pcrf.reportLossOfBearer();
        DiameterMessage rar = nextFromPcrf("RAR");
        assertEquals(RAR, rar.commandCode());
        assertEquals(session, rar.first(AvpCode.SESSION_ID).orElseThrow().utf8());
        assertEquals(2, rar.first(AvpCode.SPECIFIC_ACTION).orElseThrow().integer32(),
                "INDICATION_OF_LOSS_OF_BEARER");
        assertEquals(0, rar.first(AvpCode.RE_AUTH_REQUEST_TYPE).orElseThrow().integer32(), "AUTHORIZE_ONLY");
        assertEquals("gw.test.example", rar.first(AvpCode.DESTINATION_HOST).orElseThrow().utf8());
        assertEquals("2001", record("the RAA", of("RAA", session)).get("result"));

        handlerAnswers = ResultCode.UNKNOWN_SESSION_ID; // the gateway no longer knows the session
        pcrf.abortSessions();
        DiameterMessage asr = nextFromPcrf("ASR");
        assertEquals(ASR, asr.commandCode());
        assertEquals("5002", record("the ASA", of("ASA", session)).get("result"));
    }

    @Test
    void aRefusingPcrfAnswersWithAnExperimentalResultAndHoldsNoSession() throws Exception {
        pcrf.mode(ErlangPcrf.Mode.REFUSE);
        String session = newSession();
        DiameterMessage aaa = send(initialAar(session));
        assertTrue(aaa.first(AvpCode.RESULT_CODE).isEmpty(), "TS 29.214 §5.4: no Result-Code with it");
        Avp experimental = aaa.first(AvpCode.EXPERIMENTAL_RESULT).orElseThrow();
        List<Avp> members = experimental.members();
        assertEquals(AvpCode.VENDOR_3GPP, members.stream().filter(a -> a.is(AvpCode.VENDOR_ID)).findFirst()
                .orElseThrow().unsigned32());
        assertEquals(5063, members.stream().filter(a -> a.is(AvpCode.EXPERIMENTAL_RESULT_CODE)).findFirst()
                .orElseThrow().unsigned32(), "REQUESTED_SERVICE_NOT_AUTHORIZED");
        assertEquals("5063", record("the refused AAR", of("AAR", session)).get("result"));
        assertEquals(ResultCode.UNKNOWN_SESSION_ID, resultCode(send(str(session))), "a refused AAR opens nothing");
    }

    @Test
    void whatTheDictionaryFindsFaultWithIsAnsweredWithTheErrorAndChangesNoSession() throws Exception {
        String session = newSession();
        assertEquals(ResultCode.SUCCESS, resultCode(send(initialAar(session))));
        List<Avp> noCause = head(session); // TS 29.214 §5.6.4: { Termination-Cause } is required
        DiameterMessage sta = send(request(STR, noCause));
        assertEquals(ResultCode.MISSING_AVP, resultCode(sta));
        assertTrue(sta.first(AvpCode.FAILED_AVP).isPresent(), "RFC 6733 §7.5: the Failed-AVP names it");
        AccountingLine line = record("the faulty STR", of("STR", session));
        assertEquals("none", line.get("cause"));
        assertEquals("5005", line.get("result"));
        assertEquals("5005", line.get("errors"));
        assertEquals(ResultCode.SUCCESS, resultCode(send(str(session))), "the session was still held");

        String three = newSession(); // a Media-Sub-Component has at most two Flow-Descriptions (§5.3.28)
        List<Avp> avps = head(three);
        avps.add(Avp.grouped(AvpCode.MEDIA_COMPONENT_DESCRIPTION, List.of(
                Avp.unsigned32(AvpCode.MEDIA_COMPONENT_NUMBER, 1),
                Avp.grouped(AvpCode.MEDIA_SUB_COMPONENT, List.of(Avp.unsigned32(AvpCode.FLOW_NUMBER, 1),
                        Avp.octets(AvpCode.FLOW_DESCRIPTION, RTP_OUT.getBytes(StandardCharsets.US_ASCII)),
                        Avp.octets(AvpCode.FLOW_DESCRIPTION, RTP_IN.getBytes(StandardCharsets.US_ASCII)),
                        Avp.octets(AvpCode.FLOW_DESCRIPTION, RTCP_IN.getBytes(StandardCharsets.US_ASCII)))))));
        assertEquals(5009, resultCode(send(request(AAR, avps))), "DIAMETER_AVP_OCCURS_TOO_MANY_TIMES");
        assertEquals("5009", record("the faulty AAR", of("AAR", three)).get("errors"));
        assertEquals(ResultCode.UNKNOWN_SESSION_ID, resultCode(send(str(three))), "a faulty AAR opens nothing");
    }

    @Test
    void aSilentPcrfRecordsTheAarAndNeverAnswers() throws Exception {
        pcrf.mode(ErlangPcrf.Mode.SILENT);
        String session = newSession();
        ExecutionException late = assertThrows(ExecutionException.class,
                () -> peer.send(initialAar(session)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(PeerException.Timeout.class, late.getCause(), "the peer's answer timeout (2 s)");
        assertEquals("silent", record("the silent AAR", of("AAR", session)).get("result"));
    }
}

package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.testpeer.AccountingLine;
import org.webims.gateway.diameter.testpeer.ErlangCdf;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;
import org.webims.gateway.it.support.WebrtcSdp;
import org.webims.gateway.it.support.WsCall;

/**
 * Offline charging (issue 12, TS 32.260 / TS 32.299 Rf) against two real CDFs, Erlang/OTP diameter peers that decode
 * every ACR with the Rf dictionary: the records of a call with hold, of a MESSAGE and of a refused call, with the ICID
 * Kamailio received in the P-Charging-Vector; and no record lost when the CDFs are away, when one keeps silent (the
 * record goes again with the T flag), when the primary is down (the secondary takes it) and across a restart of the
 * gateway. The test server's Rf peers are 127.0.0.1:3970 (primary) and :3971 (arquillian.xml).
 */
class ChargingIT extends MediaTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final Pattern ICID = Pattern.compile("pcv=icid-value=([^;\\s]+)");
    private static final String ALICE = "sip:alice@ims.example.test";
    private static final int START = 2;
    private static final int INTERIM = 3;
    private static final int STOP = 4;
    private static final int EVENT = 1;
    private static ErlangCdf primary;
    private static ErlangCdf secondary;

    @ArquillianResource
    private ManagementClient management;

    @BeforeAll
    static void startCdfs() throws Exception {
        primary = ErlangCdf.start(TestBed.CDF_PORT, false);
        secondary = ErlangCdf.start(TestBed.CDF_SECONDARY_PORT, false);
    }

    @AfterAll
    static void stopCdfs() throws Exception {
        if (primary != null) {
            primary.close();
        }
        if (secondary != null) {
            secondary.close();
        }
    }

    /** Each test leaves both CDFs answering and the gateway connected to them. */
    @AfterEach
    void bothCdfsBack() throws Exception {
        if (!primary.alive()) {
            primary.restart(false);
        }
        if (!secondary.alive()) {
            secondary.restart(false);
        }
        awaitPeer(TestBed.CDF_PORT, "OKAY");
        awaitPeer(TestBed.CDF_SECONDARY_PORT, "OKAY");
    }

    private static WsSipClient registered(SipClientIdentity who) {
        WsSipClient client = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN, who, "sip");
        assertEquals(200, client.register(600).status());
        return client;
    }

    /** What a test does while its call is up, knowing the call's ICID. */
    private interface WhileUp {
        void run(String icid) throws Exception;
    }

    /** A call from alice to a SIPp phone answered and hung up by alice; returns its ICID as the core saw it. */
    private String answeredCall(WhileUp whileUp) throws Exception {
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                Sipp.Running uas = Sipp.scenario("uas-answer.xml").args("-rtp_echo").start()) {
            String target = "sip:uas@" + uas.hostPort();
            WsCall call = new WsCall(alice, target).invite(WebrtcSdp.opusOffer());
            assertEquals(200, call.await(200, WAIT).status());
            call.ack();
            String icid = icidAtCore("IN INVITE " + target);
            whileUp.run(icid);
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
            return icid;
        }
    }

    @Test
    void aCallWithHoldIsStartInterimsAndStopWithTheIcidTheCoreReceived() throws Exception {
        String icid;
        String target;
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                Sipp.Running uas = Sipp.scenario("uas-hold.xml").args("-rtp_echo").start()) {
            target = "sip:uas@" + uas.hostPort();
            WsCall call = new WsCall(alice, target).invite(WebrtcSdp.opusOffer());
            assertEquals(200, call.await(200, WAIT).status());
            call.ack();
            icid = icidAtCore("IN INVITE " + target);
            assertEquals(200, call.reinvite(WebrtcSdp.opusOffer().replace("a=sendrecv", "a=sendonly"), WAIT).status());
            assertEquals(200, call.reinvite(WebrtcSdp.opusOffer(), WAIT).status());
            assertEquals(200, call.info("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n").status());
            assertEquals(200, call.bye().status());
            assertTrue(uas.await(WAIT).ok(), uas.logLines().toString());
        }
        List<AccountingLine> records = awaitRecords(primary, r -> r.get("icid").equals(icid), 4);
        assertEquals(List.of(START, INTERIM, INTERIM, STOP), records.stream().map(AccountingLine::type).toList(),
                "START at the answer, an INTERIM for the hold and for the resume, STOP at the BYE: " + records);
        assertEquals(List.of(0, 1, 2, 3), records.stream().map(AccountingLine::number).toList());
        assertEquals(1, records.stream().map(AccountingLine::session).distinct().count(), "one accounting session");
        AccountingLine start = records.get(0);
        assertEquals("0", start.get("unknown"), "every AVP known to the CDF's TS 32.299 dictionary: " + start);
        assertEquals("32260@3gpp.org", start.get("context"));
        assertEquals(ALICE, start.get("user"));
        assertEquals("2:" + ALICE, start.get("subscription"), "Subscription-Id END_USER_SIP_URI");
        assertEquals("INVITE", start.get("method"));
        assertEquals("0", start.get("role"), "ORIGINATING_ROLE");
        assertEquals("1", start.get("node"), "P-CSCF");
        assertEquals(ALICE, start.get("calling"));
        assertEquals(target, start.get("called"));
        assertFalse(start.get("requested").isEmpty() || start.get("answered").isEmpty(), start.toString());
        assertEquals("operator", start.get("provider"), "the operator's own web client");
        assertTrue(start.get("media").contains("realm=1 transcoder=1 a=rtpmap:PCMU"), "the IMS side: " + start);
        assertTrue(start.get("media").contains("realm=0 transcoder=1 a=rtpmap:opus"), "the WebRTC side: " + start);
        assertFalse(start.retransmitted());
        AccountingLine stop = records.get(3);
        assertEquals("0", stop.get("cause"), "Cause-Code: normal end of session");
        assertEquals("", stop.get("interim"));
        assertEquals("300", start.get("interim"), "Acct-Interim-Interval in the START");

        List<JsonObject> listed = awaitApiRecords("impu=" + ALICE + "&state=delivered",
                list -> list.stream().filter(r -> icid.equals(r.getString("icid", ""))).count() == 4);
        assertTrue(listed.stream().filter(r -> icid.equals(r.getString("icid", "")))
                .allMatch(r -> r.getString("sessionId").equals(start.session())), listed.toString());
    }

    @Test
    void aMessageIsAnEventAtEachEndAndARefusedCallIsAnEventWithItsStatus() throws Exception {
        try (WsSipClient alice = registered(SipClientIdentity.alice());
                WsSipClient bob = registered(SipClientIdentity.bob())) {
            assertEquals(200, alice.sendMessage("sip:bob@ims.example.test", "hello bob").status());
            String icid = icidAtCore("IN MESSAGE sip:bob@ims.example.test");
            List<AccountingLine> events = awaitRecords(primary, r -> r.get("icid").equals(icid), 2);
            assertTrue(events.stream().allMatch(e -> e.type() == EVENT && e.get("method").equals("MESSAGE")
                    && e.get("cause").equals("-1") && e.get("unknown").equals("0")), events.toString());
            assertEquals(List.of("0", "1"), events.stream().map(e -> e.get("role")).sorted().toList(),
                    "alice's originating record and bob's terminating one: " + events);
            assertTrue(events.stream().allMatch(e -> e.get("calling").equals(ALICE)
                    && e.get("called").equals("sip:bob@ims.example.test")), events.toString());

            try (Sipp.Running uas = Sipp.scenario("uas-busy.xml").start()) {
                String target = "sip:uas@" + uas.hostPort();
                WsCall call = new WsCall(alice, target).invite(WebrtcSdp.opusOffer());
                assertEquals(486, call.awaitFinal(WAIT).status());
                String refused = icidAtCore("IN INVITE " + target);
                AccountingLine event = awaitRecords(primary, r -> r.get("icid").equals(refused), 1).get(0);
                assertEquals(EVENT, event.type(), event.toString());
                assertEquals("486", event.get("cause"), "Cause-Code: the SIP status");
                assertEquals("", event.get("answered"));
            }
        }
    }

    @Test
    void theCdfsGoneDuringACallGetTheStopOnceTheyAreBack() throws Exception {
        String icid = answeredCall(up -> {
            awaitRecords(primary, r -> r.get("icid").equals(up) && r.type() == START, 1);
            // and answered, not only written: the CDF writes before it answers, and a kill between the two leaves
            // the START pending too (it then goes again with the T flag, which another test covers)
            awaitApiRecords("impu=" + ALICE + "&state=delivered",
                    list -> list.stream().anyMatch(r -> up.equals(r.getString("icid", ""))));
            primary.kill();
            secondary.kill();
            awaitPeerNot(TestBed.CDF_PORT, "OKAY");
        });
        List<JsonObject> pending = awaitApiRecords("impu=" + ALICE + "&state=pending",
                list -> list.stream().anyMatch(r -> icid.equals(r.getString("icid", ""))));
        assertEquals(List.of("STOP"), pending.stream().filter(r -> icid.equals(r.getString("icid", "")))
                .map(r -> r.getString("type")).toList(), "the STOP kept while no CDF is there: " + pending);

        primary.restart(false);
        awaitPeer(TestBed.CDF_PORT, "OKAY"); // else the secondary may be OKAY first and take the STOP (RFC 6733 §6.1)
        secondary.restart(false);
        awaitRecords(primary, r -> r.get("icid").equals(icid) && r.type() == STOP, 1);
        Thread.sleep(1000); // nothing more comes
        assertEquals(List.of(START, STOP), primary.accountingRecords().stream()
                .filter(r -> r.get("icid").equals(icid)).map(AccountingLine::type).toList(),
                "each once, in order, nothing missing");
        awaitApiRecords("impu=" + ALICE + "&state=delivered",
                list -> list.stream().filter(r -> icid.equals(r.getString("icid", ""))).count() == 2);
    }

    @Test
    void aRecordTheCdfTookWithoutAnsweringGoesAgainWithTheTFlag() throws Exception {
        String icid = answeredCall(up -> {
            awaitRecords(primary, r -> r.get("icid").equals(up) && r.type() == START, 1);
            secondary.kill(); // no failover: the primary alone
            primary.kill();
            primary.restart(true); // back, but it writes each ACR and never answers
            awaitPeer(TestBed.CDF_PORT, "OKAY");
        });
        List<AccountingLine> silent = awaitRecords(primary, r -> r.get("icid").equals(icid) && r.type() == STOP, 2);
        assertFalse(silent.get(0).retransmitted(), "first sent as new: " + silent);
        assertTrue(silent.get(1).retransmitted(), "unanswered, so sent again with the T flag: " + silent);

        primary.kill();
        int before = primary.accountingRecords().size();
        primary.restart(false);
        List<AccountingLine> stops = awaitRecords(primary, r -> r.get("icid").equals(icid) && r.type() == STOP,
                (int) primary.accountingRecords().stream().limit(before)
                        .filter(r -> r.get("icid").equals(icid) && r.type() == STOP).count() + 1);
        assertTrue(stops.get(stops.size() - 1).retransmitted(), "taken after the restart, with the T flag: " + stops);
        List<JsonObject> listed = awaitApiRecords("impu=" + ALICE + "&state=delivered",
                list -> list.stream().anyMatch(r -> icid.equals(r.getString("icid", ""))
                        && r.getString("type").equals("STOP")));
        JsonObject stop = listed.stream().filter(r -> icid.equals(r.getString("icid", ""))
                && r.getString("type").equals("STOP")).findFirst().orElseThrow();
        assertTrue(stop.getInt("attempts") >= 2, "the failed attempts are on record: " + stop);
    }

    @Test
    void theSecondaryCdfTakesOverWhenThePrimaryIsDownAndKeepsTheSessionWhenItIsBack() throws Exception {
        primary.kill();
        awaitPeerNot(TestBed.CDF_PORT, "OKAY");
        String icid = answeredCall(up -> {
            awaitRecords(secondary, r -> r.get("icid").equals(up), 1);
            primary.restart(false);
            awaitPeer(TestBed.CDF_PORT, "OKAY"); // RFC 6733 §6.1: the STOP still goes where the START went
        });
        List<AccountingLine> records = awaitRecords(secondary, r -> r.get("icid").equals(icid), 2);
        assertEquals(List.of(START, STOP), records.stream().map(AccountingLine::type).toList());
        assertFalse(records.stream().anyMatch(AccountingLine::retransmitted),
                "never sent to the primary, so not flagged: " + records);
        assertTrue(primary.accountingRecords().stream().noneMatch(r -> r.get("icid").equals(icid)),
                "the primary, back, got none of the session's records");
    }

    @Test
    void recordsUndeliveredWhenTheGatewayStopsAreDeliveredAfterItsRestart() throws Exception {
        primary.kill();
        secondary.kill();
        awaitPeerNot(TestBed.CDF_PORT, "OKAY");
        String icid = answeredCall(up -> { });
        awaitApiRecords("impu=" + ALICE + "&state=pending",
                list -> list.stream().filter(r -> icid.equals(r.getString("icid", ""))).count() == 2);

        ModelNode redeploy = new ModelNode();
        redeploy.get("operation").set("redeploy");
        redeploy.get("address").add("deployment", "webrtc-ims-gateway.ear");
        ModelNode result = management.getControllerClient().execute(redeploy);
        assertEquals("success", result.get("outcome").asString(), result.toString());
        api.awaitCoreState("UP", Duration.ofSeconds(30));

        primary.restart(false);
        awaitPeer(TestBed.CDF_PORT, "OKAY"); // the primary first: both records go to it
        secondary.restart(false);
        List<AccountingLine> records = awaitRecords(primary, r -> r.get("icid").equals(icid), 2);
        assertEquals(List.of(START, STOP), records.stream().map(AccountingLine::type).toList());
        assertTrue(records.stream().allMatch(AccountingLine::retransmitted),
                "pending across a restart, so possibly sent before: the T flag: " + records);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** The ICID of the P-Charging-Vector of the last request Kamailio logged starting with {@code line}. */
    private static String icidAtCore(String line) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(core.log(), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains(line)).toList();
            if (!lines.isEmpty()) {
                Matcher m = ICID.matcher(lines.get(lines.size() - 1));
                assertTrue(m.find(), "the core received a P-Charging-Vector: " + lines.get(lines.size() - 1));
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Kamailio logged no '" + line + "'");
    }

    private static List<AccountingLine> awaitRecords(ErlangCdf cdf, Predicate<AccountingLine> which, int count)
            throws Exception {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        List<AccountingLine> found = List.of();
        while (System.nanoTime() < deadline) {
            found = cdf.accountingRecords().stream().filter(which).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the CDF on " + cdf.port() + " got " + found.size() + " of " + count
                + " records: " + found);
    }

    private List<JsonObject> awaitApiRecords(String query, Predicate<List<JsonObject>> done) throws Exception {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        List<JsonObject> records = List.of();
        int status = 0;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = api.get("charging/records?" + query.replace(":", "%3A")
                    .replace("@", "%40"), true);
            status = response.statusCode();
            if (status == 200) {
                records = Json.createReader(new StringReader(response.body())).readObject().getJsonArray("records")
                        .getValuesAs(JsonObject.class);
                if (done.test(records)) {
                    return records;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET /api/charging/records?" + query + " never matched (last status " + status
                + "): " + records);
    }

    /** Waits until the gateway no longer sees that Rf peer in that state (it may never have connected at all). */
    private void awaitPeerNot(int port, String state) throws Exception {
        awaitRfPeer(port, s -> !s.equals(state), "not " + state);
    }

    private void awaitPeer(int port, String state) throws Exception {
        awaitRfPeer(port, s -> s.equals(state), state);
    }

    private void awaitRfPeer(int port, Predicate<String> wanted, String what) throws Exception {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = api.get("charging/status", true);
            if (response.statusCode() == 200) {
                seen = response.body();
                JsonObject status = Json.createReader(new StringReader(seen)).readObject();
                if (status.getJsonArray("rfPeers").getValuesAs(JsonObject.class).stream()
                        .anyMatch(p -> p.getString("peer").endsWith(":" + port) && wanted.test(p.getString("state")))) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Rf peer " + port + " never " + what + ": " + seen);
    }

    @Test
    void theRecordsApiRefusesBadFiltersClearly() throws Exception {
        HttpResponse<String> bad = api.get("charging/records?from=yesterday", true);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("ISO-8601"), bad.body());
        assertEquals(400, api.get("charging/records?state=lost", true).statusCode());
        assertEquals(400, api.get("charging/records?limit=0", true).statusCode());
        assertEquals(401, api.get("charging/records", false).statusCode(), "admins only");
        HttpResponse<String> page = api.get("../admin/charging.html", true);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Charging records") && page.body().contains("charging.js"), page.body());
        assertEquals(401, api.get("../admin/charging.html", false).statusCode());
    }
}

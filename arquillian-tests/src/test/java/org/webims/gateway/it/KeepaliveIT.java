package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.DigestAuth;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipRequestFactory;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.support.RawWebSocket;

/**
 * Keepalive (RFC 5626 §4.4.1, RFC 7118 §6, RFC 6455 §5.5.2): the double-CRLF ping is answered, the gateway pings
 * every connection, and a connection that stops answering is closed with its bindings. The test server pings every
 * 2 s (arquillian.xml), so a dead client is found within about 6 s.
 */
class KeepaliveIT extends GatewayTestBase {

    @Test
    void aDoubleCrlfPingGetsACrlfPong() {
        try (WsSipClient client = WsSipClient.connect(WsSipClient.DEFAULT_URI, null, "sip")) {
            client.sendKeepAlive();
            assertEquals("\r\n", client.awaitRawFrame("\r\n"::equals, Duration.ofSeconds(5)));
        }
    }

    @Test
    void theGatewayPingsItsConnections() throws Exception {
        try (RawWebSocket silent = RawWebSocket.connect(TestBed.HTTP_PORT)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            while (System.nanoTime() < deadline) {
                if (silent.read().opcode() == RawWebSocket.PING) {
                    return;
                }
            }
            throw new AssertionError("no ping within 6 s");
        }
    }

    @Test
    void aClientThatStopsAnsweringIsDisconnectedAndItsBindingRemoved() throws Exception {
        SipClientIdentity bob = SipClientIdentity.bob();
        SipRequestFactory requests = new SipRequestFactory(bob);
        try (RawWebSocket silent = RawWebSocket.connect(TestBed.HTTP_PORT)) {
            String tag = SipRequestFactory.newTag();
            silent.sendText(requests.register(requests.nextRegisterCseq(), tag, 600, null));
            SipMessage challenge = SipMessage.parse(silent.readMessage());
            assertEquals(401, challenge.status());
            String authorization = "Authorization: " + DigestAuth.authorization(challenge.header("WWW-Authenticate"),
                    bob.privateId(), bob.password(), "REGISTER", bob.registrarUri());
            silent.sendText(requests.register(requests.nextRegisterCseq(), tag, 600, authorization));
            assertEquals(200, SipMessage.parse(silent.readMessage()).status());
            assertEquals(1, api.registrationsOf(bob.publicId()).size());

            // From now on the client neither reads nor answers pings.
            api.awaitRegistrations(list -> list.stream().noneMatch(r -> bob.publicId().equals(r.getString("impu"))),
                    Duration.ofSeconds(10));
            assertTrue(silent.isClosedByPeer(), "the gateway closed the dead connection");
        }
    }
}

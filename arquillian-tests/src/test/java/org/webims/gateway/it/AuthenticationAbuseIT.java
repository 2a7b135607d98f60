package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.DigestAuth;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipRequestFactory;
import org.webims.gateway.it.client.WsSipClient;

/**
 * Attacks on registration's authentication through the gateway: a client claiming to be authenticated already
 * (TS 33.203 Annex U, TS 24.229 §5.2.2: only the P-CSCF may say {@code integrity-protected="auth-done"}).
 * The demo core trusts that claim from the gateway's address (127.0.0.1), as an S-CSCF doing trusted node
 * authentication does.
 */
class AuthenticationAbuseIT extends GatewayTestBase {
    private static final String ORIGIN = TestBed.ORIGIN;

    /** The test's own premise: the core really registers without a password what the gateway vouches for. */
    @Test
    void theCoreBindsWithoutPasswordWhatTheGatewaysAddressSaysIsAuthDone() throws Exception {
        SipClientIdentity user = SipClientIdentity.of("bench901", "unused");
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            udp.setSoTimeout(5_000);
            SipRequestFactory f = new SipRequestFactory(user);
            String register = f.register(f.nextRegisterCseq(), SipRequestFactory.newTag(), 60,
                    forgedAuthorization(user, "x"))
                    .replaceFirst("Via: [^\r]*", "Via: SIP/2.0/UDP 127.0.0.1:" + udp.getLocalPort()
                            + ";rport;branch=" + SipRequestFactory.newBranch());
            byte[] bytes = register.getBytes(StandardCharsets.UTF_8);
            udp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), TestBed.CORE_PORT));
            DatagramPacket answer = new DatagramPacket(new byte[65_535], 65_535);
            udp.receive(answer);
            SipMessage response = SipMessage.parse(
                    new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8));
            assertEquals(200, response.status(), response.toString());
        }
    }

    /** Finding 15 of issue 9: a browser's own "auth-done" with an empty response registered it without password. */
    @Test
    void aClientsOwnAuthDoneClaimIsRemovedAndTheCoreStillWantsThePassword() throws Exception {
        SipClientIdentity user = SipClientIdentity.of("bench902", "unused");
        try (WsSipClient client = WsSipClient.connect(WsSipClient.DEFAULT_URI, ORIGIN, user, "sip")) {
            SipRequestFactory f = client.requestFactory();
            String fromTag = SipRequestFactory.newTag();
            SipMessage challenge = client.request(f.register(f.nextRegisterCseq(), fromTag, 600, null));
            assertEquals(401, challenge.status(), challenge.toString());
            String nonce = DigestAuth.parseChallenge(challenge.header("WWW-Authenticate")).nonce();

            SipMessage answer = client.request(f.register(f.nextRegisterCseq(), fromTag, 600,
                    forgedAuthorization(user, nonce)));
            assertEquals(401, answer.status(), "the core checked the (empty) digest: " + answer);
            assertTrue(api.registrationsOf(user.publicId()).isEmpty(), "the gateway bound nothing");
            assertFalse(core.locationDump().contains("bench902@"), "the core bound nothing");
        }
    }

    /** What a client forges: an Authorization without any answer to a challenge, "already authenticated". */
    private static String forgedAuthorization(SipClientIdentity user, String nonce) {
        return "Authorization: Digest username=\"" + user.privateId() + "\", realm=\"" + user.domain()
                + "\", nonce=\"" + nonce + "\", uri=\"" + user.registrarUri()
                + "\", response=\"\", integrity-protected=\"auth-done\"";
    }
}

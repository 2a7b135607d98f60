package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipRequestFactory;
import org.webims.gateway.it.client.WsSipClient;

/**
 * Log volume under bad input (issue 9, finding 14): a flood of malformed requests is answered one by one but logged
 * at a bounded rate, and server.log rotates by size.
 */
class LogVolumeIT extends GatewayTestBase {
    private static final int BAD_REQUESTS = 2_000;

    @ArquillianResource
    private ManagementClient management;

    @Test
    void twoThousandMalformedRequestsAddABoundedNumberOfLogLines() throws Exception {
        Path log = Path.of(System.getProperty("jboss.home"), "standalone", "log", "server.log");
        long before = Files.size(log);
        try (WsSipClient alice = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN,
                SipClientIdentity.alice(), "sip")) {
            for (int i = 0; i < BAD_REQUESTS; i++) {
                String broken = alice.requestFactory().options("sip:bob@ims.example.test",
                        SipRequestFactory.newCallId(), 1, SipRequestFactory.newTag(), null)
                        .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nContact: <sip:broken" + i + "@\r\n");
                SipMessage answer = alice.request(broken);
                assertEquals(400, answer.status(), "every malformed request is still answered");
            }
        }
        List<String> added = linesAddedSince(log, before);
        long warnings = added.stream().filter(l -> l.contains("WARN") || l.contains("ERROR")).count();
        long bytes = added.stream().mapToLong(l -> l.length() + 1).sum();
        assertTrue(warnings <= 40, warnings + " warning lines for " + BAD_REQUESTS + " bad requests, e.g.\n"
                + String.join("\n", added.subList(0, Math.min(5, added.size()))));
        assertTrue(bytes <= 20_000, bytes + " bytes of log for " + BAD_REQUESTS + " bad requests");
        assertTrue(added.stream().anyMatch(l -> l.contains("further ones suppressed")),
                "the log says that more are suppressed:\n" + String.join("\n", added));
    }

    @Test
    void serverLogRotatesBySize() throws Exception {
        ModelNode read = new ModelNode();
        read.get("operation").set("read-children-resources");
        read.get("address").add("subsystem", "logging");
        read.get("child-type").set("periodic-size-rotating-file-handler");
        ModelNode result = management.getControllerClient().execute(read);
        assertEquals("success", result.get("outcome").asString(), result.toString());
        boolean serverLogBySize = result.get("result").asPropertyList().stream()
                .map(p -> p.getValue())
                .anyMatch(h -> h.get("file", "path").asString("").equals("server.log")
                        && h.hasDefined("rotate-size") && h.hasDefined("max-backup-index"));
        assertTrue(serverLogBySize, "server.log has a size-rotating handler: " + result);
    }

    private static List<String> linesAddedSince(Path log, long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length < offset) {
                offset = 0; // rotated meanwhile
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 64_000_000)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        }
    }
}

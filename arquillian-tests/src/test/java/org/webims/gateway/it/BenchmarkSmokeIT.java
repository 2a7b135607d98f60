package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.webims.gateway.bench.load.LoadGenerator;
import org.webims.gateway.bench.load.StepResult;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.peers.Sipp;

/**
 * The benchmarks' load generator (benchmarks module) at a tiny load against the deployed gateway, through the demo
 * IMS core to a SIPp phone, media anchored on rtpengine: every client registers (digest, {@code bench<n>}
 * subscribers) and every call is set up and released. Counts only: figures belong to {@code benchmarks/run.sh}.
 */
class BenchmarkSmokeIT extends MediaTestBase {
    private static final int CLIENTS = 20;
    private static final int CALLS = 10;
    /** Low enough for a busy 2-core machine: the test checks outcomes, not rates. */
    private static final double RATE = 10;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void everyClientOfTheLoadGeneratorRegistersAndEveryCallIsSetUpAndReleased() throws Exception {
        try (Sipp.Running phone = Sipp.scenario("uas-answer.xml").calls(CALLS).start();
                LoadGenerator generator = new LoadGenerator(LoadGenerator.Settings.of(WsSipClient.DEFAULT_URI,
                        "sip:uas@" + phone.hostPort()))) {
            StepResult registered = generator.connectAndRegister(CLIENTS, RATE);
            assertEquals(CLIENTS, registered.succeeded(), registered.toString());
            assertEquals(CLIENTS, api.registrations().size(), "the gateway holds one binding per client");

            StepResult established = generator.establishCalls(CALLS, RATE);
            assertEquals(CALLS, established.succeeded(), established.toString());
            assertEquals(CALLS, api.calls().size(), "the gateway holds every call");
            assertEquals(CALLS, rtpengine.sessions().size(), "each call's media is anchored on rtpengine");

            StepResult released = generator.releaseCalls(RATE);
            assertEquals(CALLS, released.succeeded(), released.toString());
            assertEquals(Map.of(), released.failures(), released.toString());
            Sipp.Result phoneSide = phone.await(WAIT);
            assertTrue(phoneSide.ok(), phoneSide.describe());
            assertEquals(CALLS, phoneSide.successful(), phoneSide.describe());
        }
    }
}

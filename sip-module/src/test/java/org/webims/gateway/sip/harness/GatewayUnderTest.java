package org.webims.gateway.sip.harness;

import java.net.DatagramSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.webims.gateway.ports.call.CallEvent;
import org.webims.gateway.ports.call.CallEventListener;
import org.webims.gateway.ports.policy.CallPolicy;
import org.webims.gateway.ports.policy.DialPlan;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.PolicySubject;
import org.webims.gateway.sip.runtime.GatewayPorts;
import org.webims.gateway.sip.runtime.SipRuntime;
import org.webims.gateway.sip.runtime.SipSettings;
import org.webims.gateway.sip.runtime.WorkerPool;

/**
 * The gateway's whole SIP side (JAIN-SIP stack, edge proxy, B2BUA) started as the web module starts it, minus
 * WildFly: in-memory WebSocket clients, a {@link FakeCore} as the IMS core, media passed through (no rtpengine), a
 * policy the test sets, and every call event recorded. T1 is 50 ms, so Timer B fires after 3.2 s.
 */
final class GatewayUnderTest implements AutoCloseable {
    static final String DOMAIN = "ims.test";
    final FakeCore core;
    SipRuntime runtime;
    int port;
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();
    private volatile Function<PolicySubject, EffectivePolicy> policy = EffectivePolicy::unrestricted;
    private static final int THREADS = 4;
    private final int queueCapacity;
    private final WorkerPool executor;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    GatewayUnderTest() throws Exception {
        this(10_000);
    }

    /** With at most {@code queueCapacity} tasks waiting for the workers. */
    GatewayUnderTest(int queueCapacity) throws Exception {
        this.queueCapacity = queueCapacity;
        executor = WorkerPool.start(Executors.defaultThreadFactory(), "sip-worker", THREADS, queueCapacity);
        core = new FakeCore();
        CallPolicy asked = subject -> CompletableFuture.supplyAsync(() -> policy.apply(subject), executor);
        CallEventListener recorder = events::add;
        // a port free for UDP may be taken for TCP (the stack listens on both): another one then, a few times
        for (int attempt = 1;; attempt++) {
            int candidate;
            try (DatagramSocket free = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                candidate = free.getLocalPort();
            }
            try {
                runtime = SipRuntime.start(settings(candidate, core.uri()),
                        new GatewayPorts(asked, recorder, DialPlan.defaults()), executor, scheduler, Clock.systemUTC());
                port = candidate;
                return;
            } catch (Exception | Error e) {
                if (attempt == 5) {
                    core.close();
                    throw e;
                }
            }
        }
    }

    private static SipSettings settings(int port, String core) {
        return TestSipSettings.of(DOMAIN, core, port);
    }

    /** The policy every request is asked for from now on (completed on another thread, as a real store may). */
    void policy(Function<PolicySubject, EffectivePolicy> next) {
        policy = next;
    }

    List<CallEvent> events() {
        return List.copyOf(events);
    }

    <T extends CallEvent> T awaitEvent(Class<T> type) {
        return type.cast(Await.first(type.getSimpleName() + " event", this::events, type::isInstance));
    }

    /** How the next call to end ended. */
    org.webims.gateway.ports.call.CallEnd ended() {
        return awaitEvent(CallEvent.Ended.class).end();
    }

    /** A client connected and registered through the gateway to the core. */
    WebRtcClient registered(String user) {
        WebRtcClient client = new WebRtcClient(user, DOMAIN).connect(runtime.webSockets());
        register(client);
        client.awaitResponse("REGISTER", 200);
        return client;
    }

    /** Sends the client's REGISTER (not waiting for its answer). */
    void register(WebRtcClient client) {
        String user = client.user;
        client.send("REGISTER sip:" + DOMAIN + " SIP/2.0", client.via("reg" + user), "Max-Forwards: 70",
                "From: <" + client.aor + ">;tag=r" + user, "To: <" + client.aor + ">", "Call-ID: reg-" + user,
                "CSeq: 1 REGISTER", client.contact() + ";+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-"
                        + String.format("%012d", Math.abs(user.hashCode())) + ">\";reg-id=1;audio;video",
                "Supported: path, outbound", "Expires: 600", "Content-Length: 0", "", "");
    }

    /**
     * Occupies every thread of the application executor until the returned latch is counted down: SIP work then
     * waits as it does when the CPU cannot keep up.
     */
    java.util.concurrent.CountDownLatch stallExecutor() throws InterruptedException {
        var release = new java.util.concurrent.CountDownLatch(1);
        var busy = new java.util.concurrent.CountDownLatch(THREADS);
        for (int i = 0; i < THREADS; i++) {
            executor.execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        busy.await();
        return release;
    }

    /** Fills the workers' queue (after {@link #stallExecutor()}): the next task offered to it is refused. */
    void fillQueue() {
        for (int i = 0; i < queueCapacity; i++) {
            executor.execute(() -> { });
        }
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.RejectedExecutionException.class,
                () -> executor.execute(() -> { }), "the queue is full");
    }

    /** No call is left in the B2BUA. */
    void awaitNoCall() {
        Await.until("no call left (" + runtime.calls() + ")", () -> runtime.calls().isEmpty());
    }

    @Override
    public void close() throws Exception {
        try {
            runtime.close();
        } finally {
            core.close();
            scheduler.shutdownNow();
            executor.close();
        }
    }
}

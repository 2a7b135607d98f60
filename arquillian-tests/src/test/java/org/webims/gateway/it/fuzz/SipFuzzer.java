package org.webims.gateway.it.fuzz;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.webims.gateway.it.TestBed;
import org.webims.gateway.it.client.SipClientIdentity;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipResponses;
import org.webims.gateway.it.client.WsSipClient;
import org.webims.gateway.it.support.WebrtcSdp;

/**
 * Runs a fuzz campaign against the gateway's SIP WebSocket: input {@code i} is drawn from
 * {@code Random(seed, i)} (method, target, dialog, mutations) and sent on connection {@code i mod n}, so that a seed
 * replays a run and {@code fuzz.replay} replays single inputs. Registered connections (demo credentials) carry two
 * real calls whose dialogs seed the in-dialog inputs; unregistered ones show what a stranger can do. Every
 * {@code livenessEvery} inputs, and at the end, a fresh client must REGISTER (digest) and get 200 within a bound.
 */
public final class SipFuzzer {
    /** The liveness client's subscriber: the demo core accepts any bench&lt;N&gt; with bench-secret. */
    static final SipClientIdentity LIVENESS = new SipClientIdentity("sip:bench9900@ims.example.test",
            "bench9900@ims.example.test", "bench-secret", "ims.example.test");
    private static final List<String> TARGETS = List.of("sip:bob@ims.example.test", "sip:alice@ims.example.test",
            "sip:bench9001@ims.example.test", "sip:nobody@ims.example.test", "sip:+15551234567@ims.example.test;user=phone",
            "tel:+15551234567", "sip:ims.example.test");
    private static final Set<String> IN_DIALOG = Set.of("ACK", "BYE", "INFO", "PRACK", "UPDATE", "REFER", "NOTIFY",
            "INVITE");

    /** The run's parameters, read from {@code fuzz.*} system properties. */
    public record Settings(long seed, long inputs, int registered, int unregistered, long livenessEvery,
                           Duration livenessBound, Duration answerBound, long paceMillis, int maxBytes,
                           Set<Long> replay) {
        public static Settings fromSystemProperties(long defaultInputs) {
            String replay = System.getProperty("fuzz.replay", "");
            return new Settings(Long.decode(System.getProperty("fuzz.seed", "0x5eed")),
                    Long.getLong("fuzz.inputs", defaultInputs),
                    Integer.getInteger("fuzz.registered", 4), Integer.getInteger("fuzz.unregistered", 4),
                    Long.getLong("fuzz.liveness-every", 1_000),
                    Duration.ofSeconds(Long.getLong("fuzz.liveness-seconds", 10)),
                    Duration.ofSeconds(Long.getLong("fuzz.answer-seconds", 10)),
                    Long.getLong("fuzz.pace-ms", 40), Integer.getInteger("fuzz.max-bytes", 65_535),
                    replay.isBlank() ? Set.of() : Arrays.stream(replay.split(",")).map(String::trim)
                            .map(Long::valueOf).collect(Collectors.toUnmodifiableSet()));
        }
    }

    /** One liveness REGISTER: after how many inputs, its final status (-1: none) and how long it took. */
    public record Liveness(long afterInputs, int status, long millis, String error) {
        public boolean ok() {
            return status == 200;
        }
    }

    /** What the run did. */
    public record Result(Settings settings, FuzzStats stats, List<Liveness> liveness, Duration elapsed,
                         long connectFailures) {
    }

    private final Settings settings;
    private final FuzzStats stats = new FuzzStats();
    private final SipMutator mutator;
    private final AtomicBoolean answerCallsWith200 = new AtomicBoolean();
    private final List<FuzzConnection> connections = new ArrayList<>();
    private final List<SeedMessages.Dialog> realDialogs = new ArrayList<>();
    private final List<Liveness> liveness = Collections.synchronizedList(new ArrayList<>());
    private final LongAdder connectFailures = new LongAdder();
    /** Takes the inputs that end their connection (1007), so that the others keep theirs and their answers. */
    private FuzzConnection closer;

    public SipFuzzer(Settings settings) {
        this.settings = settings;
        this.mutator = new SipMutator(settings.maxBytes());
    }

    /** Opens the connections, sets up the calls, sends every input, checks liveness; closes everything. */
    public Result run() throws Exception {
        long start = System.nanoTime();
        try {
            open();
            ExecutorService workers = Executors.newFixedThreadPool(connections.size());
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < connections.size(); w++) {
                    int worker = w;
                    done.add(workers.submit(() -> work(worker)));
                }
                long nextLiveness = settings.livenessEvery();
                while (!done.stream().allMatch(Future::isDone)) {
                    workers.awaitTermination(200, TimeUnit.MILLISECONDS);
                    connections.forEach(c -> c.expire(settings.answerBound()));
                    closer.expire(settings.answerBound());
                    if (stats.inputs() >= nextLiveness) {
                        checkLiveness();
                        nextLiveness += settings.livenessEvery();
                    }
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                workers.shutdownNow();
            }
            awaitAnswers();
            checkLiveness();
        } finally {
            hangUpAndClose();
        }
        return new Result(settings, stats, List.copyOf(liveness), Duration.ofNanos(System.nanoTime() - start),
                connectFailures.sum());
    }

    /** The input {@code index} of this run, on the connection it goes to. */
    FuzzInput input(long index, FuzzConnection connection) {
        Random random = new Random(settings.seed() ^ (index * 0x9E3779B97F4A7C15L));
        String method = SeedMessages.METHODS.get(random.nextInt(SeedMessages.METHODS.size()));
        String target = TARGETS.get(random.nextInt(TARGETS.size()));
        SeedMessages.Dialog dialog = null;
        if (IN_DIALOG.contains(method) && connection == connections.get(0) && !realDialogs.isEmpty()
                && random.nextInt(3) > 0) {
            dialog = realDialogs.get(random.nextInt(realDialogs.size()));
        }
        String callId = "fz" + Long.toHexString(settings.seed()) + "-" + index;
        String seed = new SeedMessages(connection.factory()).request(method, target, callId,
                1 + random.nextInt(9_999), dialog);
        if (random.nextInt(20) == 0) {
            return new FuzzInput(index, seed.getBytes(java.nio.charset.StandardCharsets.UTF_8), false, method,
                    "NONE", SipMutator.callIdOf(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return mutator.mutate(index, method, seed, random);
    }

    private void open() throws IOException {
        List<SipClientIdentity> identities = new ArrayList<>(List.of(SipClientIdentity.alice(),
                SipClientIdentity.bob()));
        for (int i = 2; i < settings.registered(); i++) {
            identities.add(new SipClientIdentity("sip:bench" + (9000 + i - 1) + "@ims.example.test",
                    "bench" + (9000 + i - 1) + "@ims.example.test", "bench-secret", "ims.example.test"));
        }
        for (SipClientIdentity identity : identities.subList(0, settings.registered())) {
            FuzzConnection[] self = new FuzzConnection[1];
            self[0] = new FuzzConnection("reg-" + identity.privateId(), TestBed.HTTP_PORT, identity, stats,
                    request -> answer(request, self[0]));
            connections.add(self[0]);
        }
        for (int i = 0; i < settings.unregistered(); i++) {
            connections.add(new FuzzConnection("unreg-" + i, TestBed.HTTP_PORT, null, stats, null));
        }
        closer = new FuzzConnection("unreg-utf8", TestBed.HTTP_PORT, null, stats, null);
        for (FuzzConnection c : connections) {
            c.ensureOpen();
        }
        if (settings.registered() >= 2) {
            setUpRealCalls(2);
        }
    }

    /** Two real alice-to-bob calls whose dialogs the in-dialog inputs of alice's connection use. */
    private void setUpRealCalls(int count) throws IOException {
        FuzzConnection alice = connections.get(0);
        SeedMessages seeds = new SeedMessages(alice.factory());
        answerCallsWith200.set(true);
        try {
            for (int i = 0; i < count; i++) {
                String callId = "fz" + Long.toHexString(settings.seed()) + "-call" + i;
                SipMessage ok = alice.request(seeds.request("INVITE", "sip:bob@ims.example.test", callId, 1, null));
                if (ok.status() != 200) {
                    throw new IOException("setting up a call to fuzz in: " + ok.startLine());
                }
                SeedMessages.Dialog dialog = new SeedMessages.Dialog(ok.header("Contact").replaceAll("^.*<|>.*$", ""),
                        ok.header("From"), ok.header("To"), callId, 1);
                alice.sendText(seeds.request("ACK", null, callId, 1, dialog));
                realDialogs.add(dialog);
            }
        } finally {
            answerCallsWith200.set(false);
        }
    }

    /** A fuzz client as callee: 200 (with an SDP answer) to the set-up calls, 486 to other INVITEs, 200 else. */
    private String answer(SipMessage request, FuzzConnection callee) {
        return switch (request.method()) {
            case "ACK" -> null;
            case "INVITE" -> answerCallsWith200.get()
                    ? SipResponses.responseTo(request, 200, "OK", List.of("Contact: <" + callee.factory().contactUri()
                    + ">"), "application/sdp", WebrtcSdp.answerTo(request.body()))
                    : SipResponses.responseTo(request, 486, "Busy Here");
            default -> SipResponses.responseTo(request, 200, "OK");
        };
    }

    private void work(int worker) {
        FuzzConnection connection = connections.get(worker);
        for (long i = worker; i < settings.inputs(); i += connections.size()) {
            if (!settings.replay().isEmpty() && !settings.replay().contains(i)) {
                continue;
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                FuzzInput input = input(i, connection);
                if (input.closesConnection()) {
                    synchronized (closer) {
                        closer.send(input, 0);
                    }
                } else {
                    connection.send(input, settings.paceMillis());
                }
            } catch (IOException e) {
                connectFailures.increment(); // the server refused to reopen the connection: counted, go on
            }
        }
    }

    private void awaitAnswers() throws InterruptedException {
        long deadline = System.nanoTime() + settings.answerBound().toNanos();
        while (connections.stream().anyMatch(c -> c.inFlight() > 0) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100); // polling the counters, bounded
            connections.forEach(c -> c.expire(settings.answerBound()));
        }
        connections.forEach(c -> c.expire(Duration.ZERO));
    }

    private void checkLiveness() {
        long after = stats.inputs();
        long t0 = System.nanoTime();
        int status = -1;
        String error = null;
        try (WsSipClient client = WsSipClient.connect(WsSipClient.DEFAULT_URI, TestBed.ORIGIN, LIVENESS, "sip")) {
            client.withTimeout(settings.livenessBound());
            status = client.register(60).status();
            if (status == 200) {
                client.unregister(); // leaves no binding at the core (stale bindings are another finding)
            }
        } catch (RuntimeException | AssertionError e) {
            error = e.toString().lines().findFirst().orElse("");
        }
        liveness.add(new Liveness(after, status, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), error));
    }

    private void hangUpAndClose() {
        if (!connections.isEmpty() && !realDialogs.isEmpty()) {
            FuzzConnection alice = connections.get(0);
            SeedMessages seeds = new SeedMessages(alice.factory());
            for (SeedMessages.Dialog d : realDialogs) {
                try {
                    alice.ensureOpen();
                    alice.request(seeds.request("BYE", null, d.callId(), 0, new SeedMessages.Dialog(d.remoteTarget(),
                            d.from(), d.to(), d.callId(), 2_000_000_000L)));
                } catch (IOException | RuntimeException e) {
                    // a fuzz input may have ended the call already; closing the connection ends it otherwise
                }
            }
        }
        connections.forEach(FuzzConnection::close);
        if (closer != null) {
            closer.close();
        }
    }
}
